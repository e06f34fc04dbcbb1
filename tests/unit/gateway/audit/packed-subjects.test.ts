import fc from 'fast-check';
import type { Subject } from '../../../../gateway/audit/audit-record';
import { PackedSubjectsError, packSubjects, unpackSubjects } from '../../../../gateway/audit/packed-subjects';

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ minLength: 130, maxLength: 300 }),
  fc.constantFrom('', '"', '\\', '\u0000', '__proto__', '张三'),
);
/** Ids as they come: mostly UUIDs (some in capitals, which are kept as text), codes and numbers. */
const id = fc.oneof(
  fc.uuid(),
  fc.uuid().map((uuid) => uuid.toUpperCase()),
  fc.uuid().map((uuid) => `${uuid}x`),
  text,
  fc.nat().map(String),
);
const subjects = fc.array(fc.record({ type: fc.oneof(fc.constantFrom('Resident', 'Petition', 'GridCell'), text), id }), { maxLength: 60 });

describe('packed audit subjects', () => {
  it('give back the very list they were packed from, in its order, for any types and ids UTF-8 can carry', () => {
    fc.assert(
      fc.property(subjects, (list) => {
        const packed = packSubjects(list);
        expect(packed).not.toBeNull();
        expect(unpackSubjects(packed!)).toEqual(list);
      }),
      { numRuns: 1000 },
    );
  });

  it('take a third of the JSON for a page of residents', () => {
    const residents: Subject[] = Array.from({ length: 42 }, (_, i) => ({
      type: 'Resident',
      id: `1c209abc-503c-40b5-95a${i % 10}-${String(i).padStart(12, '0')}`,
    }));
    const packed = packSubjects(residents)!;
    // The format byte, the type and the run's length, then a tag and 16 bytes a resident.
    expect(packed).toHaveLength(1 + 1 + 'Resident'.length + 1 + 42 * 17);
    expect(packed.length / JSON.stringify(residents.map((s) => [s.type, s.id])).length).toBeLessThan(0.35);
    expect(packSubjects([])).toEqual(Buffer.from([1]));
  });

  it('are not made of text UTF-8 would change (a lone surrogate): the row keeps its JSON instead', () => {
    expect(packSubjects([{ type: 'Resident', id: 'a\ud800' }])).toBeNull();
    expect(packSubjects([{ type: '\udc00', id: 'a' }])).toBeNull();
    expect(
      packSubjects([
        { type: 'Resident', id: 'a' },
        { type: 'Resident', id: '\ud83d\ude00' },
      ]),
    ).not.toBeNull();
  });

  it('refuse anything but a whole list of a known format, with a PackedSubjectsError', () => {
    const packed = packSubjects([
      { type: 'Resident', id: '0260cfd0-49a6-41ee-9797-883cfcee8f62' },
      { type: 'Resident', id: 'r-7' },
    ])!;
    for (const bad of [
      Buffer.alloc(0),
      Buffer.from([2]),
      Buffer.from([1, 0x80]),
      Buffer.from([1, 1, 0x52, 0]),
      ...Array.from({ length: packed.length - 1 }, (_, n) => packed.subarray(0, n + 1)).filter((cut) => cut.length > 1),
    ]) {
      expect(() => unpackSubjects(bad)).toThrow(PackedSubjectsError);
    }
  });

  it('never fail but with a PackedSubjectsError on bytes of any kind', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          unpackSubjects(Buffer.concat([Buffer.from([1]), bytes]));
        } catch (error) {
          expect(error).toBeInstanceOf(PackedSubjectsError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
