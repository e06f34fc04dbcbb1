import { randomUUID } from 'node:crypto';
import { subjectKeyer } from '../../../../gateway/audit/subject-key';
import { POSTING_GROUPS, postingGroup } from '../../../../gateway/audit/subject-postings';

describe('the subject index key', () => {
  const key = Buffer.alloc(32, 7);

  it('is the same 52-bit number for the same subject, from any keyer with the same audit key', () => {
    const keyOf = subjectKeyer(key);
    const keys = Array.from({ length: 60_000 }, (_, i) => keyOf({ type: 'Resident', id: `r-${i}` }));
    expect(subjectKeyer(key)({ type: 'Resident', id: 'r-59999' })).toBe(keys[59_999]);
    expect(keyOf({ type: 'Resident', id: 'r-0' })).toBe(keys[0]);
    expect(new Set(keys).size).toBe(keys.length);
    for (const value of keys) expect(Number.isSafeInteger(value) && value >= 0 && value < 2 ** 52).toBe(true);
    // All of the 52 bits are used.
    expect(Math.max(...keys)).toBeGreaterThan(2 ** 51);
  });

  it('tells types apart and depends on the audit key', () => {
    const keyOf = subjectKeyer(key);
    expect(keyOf({ type: 'Resident', id: '1' })).not.toBe(keyOf({ type: 'Petition', id: '1' }));
    expect(keyOf({ type: 'Resident', id: '1' })).not.toBe(keyOf({ type: 'Resident\u00001', id: '' }));
    expect(subjectKeyer(Buffer.alloc(32, 8))({ type: 'Resident', id: '1' })).not.toBe(keyOf({ type: 'Resident', id: '1' }));
  });

  it('spreads subjects evenly over the posting groups, sequential ids and UUIDs alike', () => {
    const keyOf = subjectKeyer(key);
    for (const ids of [Array.from({ length: 100_000 }, (_, i) => String(i)), Array.from({ length: 100_000 }, () => randomUUID())]) {
      const counts = new Array<number>(POSTING_GROUPS).fill(0);
      for (const id of ids) counts[postingGroup(keyOf({ type: 'Resident', id }))]! += 1;
      // About 24 a group: a fair hash keeps every group within a few standard deviations (about 5).
      expect(Math.min(...counts)).toBeGreaterThan(2);
      expect(Math.max(...counts)).toBeLessThan(55);
      const mean = ids.length / POSTING_GROUPS;
      const chiSquare = counts.reduce((sum, count) => sum + (count - mean) ** 2 / mean, 0);
      // 4,095 degrees of freedom: 4,400 is far in the tail of a fair spread.
      expect(chiSquare).toBeLessThan(4400);
    }
  });
});
