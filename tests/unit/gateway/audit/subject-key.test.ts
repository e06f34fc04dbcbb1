import { subjectKeyer } from '../../../../gateway/audit/subject-key';

describe('the subject index key', () => {
  const key = Buffer.alloc(32, 7);

  it('is the same for the same subject, also after more subjects than it remembers have gone by', () => {
    const keyOf = subjectKeyer(key);
    const first = keyOf({ type: 'Resident', id: 'r-0' });
    const later = Array.from({ length: 60_000 }, (_, i) => keyOf({ type: 'Resident', id: `r-${i}` }));
    expect(later[0]).toBe(first);
    expect(subjectKeyer(key)({ type: 'Resident', id: 'r-59999' })).toBe(later[59_999]);
    expect(keyOf({ type: 'Resident', id: 'r-0' })).toBe(first);
    expect(new Set(later).size).toBe(later.length);
  });

  it('tells types apart and depends on the audit key', () => {
    const keyOf = subjectKeyer(key);
    expect(keyOf({ type: 'Resident', id: '1' })).not.toBe(keyOf({ type: 'Petition', id: '1' }));
    expect(keyOf({ type: 'Resident', id: '1' })).not.toBe(keyOf({ type: 'Resident\u00001', id: '' }));
    expect(subjectKeyer(Buffer.alloc(32, 8))({ type: 'Resident', id: '1' })).not.toBe(keyOf({ type: 'Resident', id: '1' }));
  });
});
