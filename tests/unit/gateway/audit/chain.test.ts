import fc from 'fast-check';
import { parse } from 'graphql';
import {
  canonicalForm,
  documentHash,
  escapeLabel,
  GENESIS_HASH,
  sealRecord,
  storedSubjects,
  subjectList,
  type AuditEntry,
  type AuditRecord,
} from '../../../../gateway/audit/audit-record';
import { verifyChain } from '../../../../gateway/audit/verify-chain';

const KEY = Buffer.alloc(32, 7);
const entry = (i: number): AuditEntry => ({
  at: `2026-11-22T08:00:0${i % 10}.000Z`,
  requestId: `r${i}`,
  sub: 'w-1',
  department: 'grid',
  roles: ['grid_worker'],
  purpose: 'assistance',
  clientName: 'app',
  clientVersion: '1.0',
  operationType: 'query',
  operationName: 'Cell',
  documentHash: 'd'.repeat(64),
  decisions: [{ coordinate: 'Resident.idNumber', decision: 'mask', grant: 'G1' }],
  subjects: [{ type: 'Resident', id: `res-${i}` }],
  outcome: 'ok',
  status: 200,
  durationMs: 12,
});

function chain(n: number, key = KEY): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const record = sealRecord(key, seq, prev, entry(seq));
    records.push(record);
    prev = record.hash;
  }
  return records;
}

describe('the audit chain', () => {
  it('verifies an intact chain, with and without its anchor', () => {
    const records = chain(10);
    expect(verifyChain(KEY, records)).toEqual({ intact: true, records: 10 });
    expect(verifyChain(KEY, records, { seq: 10, hash: records[9]!.hash })).toEqual({ intact: true, records: 10 });
    expect(verifyChain(KEY, [])).toEqual({ intact: true, records: 0 });
  });

  it.each<[string, (records: AuditRecord[]) => AuditRecord[], number, string]>([
    ['an edited field', (r) => r.map((x) => (x.seq === 4 ? { ...x, purpose: 'statistics' } : x)), 4, 'edited'],
    ['an edited subject', (r) => r.map((x) => (x.seq === 7 ? { ...x, subjects: [] } : x)), 7, 'edited'],
    ['a deleted record', (r) => r.filter((x) => x.seq !== 5), 5, 'missing'],
    ['two swapped records', (r) => [...r.slice(0, 2), r[3]!, r[2]!, ...r.slice(4)], 3, 'missing'],
    [
      'a record whose successor was re-sealed around a deletion',
      (r) => [...r.slice(0, 5), { ...r[6]!, seq: 6 }, ...r.slice(7)],
      6,
      'reordered',
    ],
  ])('names the first broken record after %s', (_case, tamper, seq, problem) => {
    expect(verifyChain(KEY, tamper(chain(10)))).toMatchObject({ intact: false, seq, problem });
  });

  it('detects a truncated tail against the anchor', () => {
    const records = chain(10);
    expect(verifyChain(KEY, records.slice(0, 8), { seq: 10, hash: records[9]!.hash })).toMatchObject({
      intact: false,
      seq: 9,
      problem: 'truncated',
    });
  });

  it('detects a chain rebuilt without the key', () => {
    const forged = chain(10, Buffer.alloc(32, 9));
    expect(verifyChain(KEY, forged)).toMatchObject({ intact: false, seq: 1, problem: 'edited' });
  });

  it('detects a rebuilt chain that no longer matches the anchored head', () => {
    const records = chain(10);
    const anchor = { seq: 10, hash: records[9]!.hash };
    const rebuilt = chain(10).map((x) => (x.seq === 10 ? { ...x, hash: 'f'.repeat(64) } : x));
    expect(verifyChain(KEY, rebuilt, anchor)).toMatchObject({ intact: false, seq: 10 });
  });

  it('hashes every field: changing any one changes the canonical form', () => {
    const base = canonicalForm(1, entry(1));
    for (const [field, value] of Object.entries({
      sub: 'x',
      purpose: 'x',
      outcome: 'error',
      status: 500,
      durationMs: 1,
      clientName: 'x',
      documentHash: 'x',
      roles: ['x'],
    })) {
      expect(canonicalForm(1, { ...entry(1), [field]: value } as AuditEntry)).not.toBe(base);
    }
  });
});

describe('the canonical form', () => {
  /** How records were hashed before the form was built around a memoised decisions part: it must not change. */
  const reference = (seq: number, e: AuditEntry) =>
    JSON.stringify([
      seq,
      e.at,
      e.requestId,
      e.sub,
      e.department,
      e.roles,
      e.purpose,
      e.clientName,
      e.clientVersion,
      e.operationType,
      e.operationName,
      e.documentHash,
      e.decisions.map((d) => [d.coordinate, d.decision, d.grant ?? null]),
      e.subjects.map((s) => [s.type, s.id]),
      e.outcome,
      e.status,
      e.durationMs,
    ]);
  const text = fc.string({ unit: 'binary' });
  const nullable = fc.option(text, { nil: null });
  const decision = fc.record(
    {
      coordinate: text,
      decision: fc.constantFrom('allow' as const, 'mask' as const, 'deny' as const),
      grant: fc.option(text, { nil: undefined }),
    },
    { requiredKeys: ['coordinate', 'decision'] },
  );
  const anyEntry: fc.Arbitrary<AuditEntry> = fc.record({
    at: text,
    requestId: text,
    sub: nullable,
    department: nullable,
    roles: fc.array(text),
    purpose: nullable,
    clientName: nullable,
    clientVersion: nullable,
    operationType: nullable,
    operationName: nullable,
    documentHash: nullable,
    decisions: fc.array(decision),
    subjects: fc.array(fc.record({ type: text, id: text })),
    outcome: fc.constantFrom('ok' as const, 'partial' as const, 'refused' as const, 'error' as const),
    status: fc.integer({ min: 100, max: 599 }),
    durationMs: fc.nat(),
  });

  it('is exactly the JSON array records have always been hashed over, whatever the fields hold', () => {
    fc.assert(
      fc.property(fc.nat(), anyEntry, (seq, e) => {
        expect(canonicalForm(seq, e)).toBe(reference(seq, e));
        // Again with the same decisions list, now memoised.
        expect(canonicalForm(seq + 1, { ...e, outcome: 'error' })).toBe(reference(seq + 1, { ...e, outcome: 'error' }));
      }),
      { numRuns: 500 },
    );
  });

  it('adds where a request came from as a last element, only when known, so older records hash as before', () => {
    const origin = fc.record(
      { clientRequestId: nullable, address: nullable, requestCount: fc.option(fc.nat(), { nil: null }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.nat(), anyEntry, origin, (seq, e, o) => {
        const known = Object.fromEntries(
          (['clientRequestId', 'address', 'requestCount'] as const)
            .filter((key) => o[key] !== null && o[key] !== undefined)
            .map((key) => [key, o[key]]),
        );
        const expected =
          Object.keys(known).length === 0 ? reference(seq, e) : `${reference(seq, e).slice(0, -1)},${JSON.stringify(known)}]`;
        expect(canonicalForm(seq, { ...e, ...o })).toBe(expected);
      }),
      { numRuns: 300 },
    );
    const base = canonicalForm(1, { ...entry(1), address: '10.0.0.1', requestCount: 5 });
    expect(canonicalForm(1, { ...entry(1), address: '10.0.0.2', requestCount: 5 })).not.toBe(base);
    expect(canonicalForm(1, { ...entry(1), address: '10.0.0.1', requestCount: 6 })).not.toBe(base);
    expect(canonicalForm(1, { ...entry(1), address: '10.0.0.1', requestCount: 5, clientRequestId: 'x' })).not.toBe(base);
  });

  it('writes the subjects of a response, by type and then id, as the same JSON whatever their ids hold', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.uuid(),
      fc.constantFrom('', '"', '\\', '\u0000', '\ud800', 'a-b.c:d_9', '__proto__'),
    );
    const types = fc.uniqueArray(fc.tuple(text, fc.array(text, { maxLength: 8 })), { selector: ([type]) => type, maxLength: 4 });
    fc.assert(
      fc.property(types, (raw) => {
        const idsByType = new Map(raw.map(([type, ids]) => [type, new Set(ids)]));
        const subjects = subjectList(idsByType);
        const expected = [...idsByType.keys()].sort().flatMap((type) => [...idsByType.get(type)!].sort().map((id) => ({ type, id })));
        expect(subjects).toEqual(expected);
        expect(storedSubjects(subjects)).toBe(JSON.stringify(expected.map((s) => [s.type, s.id])));
        expect(canonicalForm(1, { ...entry(1), subjects })).toBe(reference(1, { ...entry(1), subjects: expected }));
      }),
      { numRuns: 500 },
    );
  });
});

describe('what a record may hold', () => {
  it('escapes a client-chosen label so it cannot forge a line or a field', () => {
    expect(escapeLabel('app"\n2026-01-01 sub=admin')).toBe('app\\u0022\\u000a2026-01-01 sub=admin');
    expect(escapeLabel('x'.repeat(150))).toHaveLength(101);
    // Bounded after escaping: a label of quotes cannot grow past its column.
    expect(escapeLabel('"'.repeat(100))!.length).toBeLessThanOrEqual(101);
    expect(escapeLabel('"'.repeat(100))).toMatch(/^(\\u0022)+…$/);
    expect(escapeLabel(undefined)).toBeNull();
  });

  it('keeps no run of six digits or more in a label: an ID, phone or account number sent as a name', () => {
    expect(escapeLabel('Q11010119900307123X')).toBe('Q###');
    expect(escapeLabel('call-13800138000-now')).toBe('call-###-now');
    expect(escapeLabel('v1.2.12345')).toBe('v1.2.12345');
    // A number straddling the cut is still caught.
    expect(escapeLabel(`${'a'.repeat(95)}110101199003071234`)).toBe(`${'a'.repeat(95)}###`);
    expect(escapeLabel(`${'a'.repeat(99_000)}`)).toHaveLength(101);
  });

  it('hashes the operation shape without its literal values, under a key', () => {
    const a = documentHash(KEY, parse('{ resident(id: "61092119880314124X") { name } }'));
    const b = documentHash(KEY, parse('{  resident(id: "110105194912310021") {  name } }'));
    const c = documentHash(KEY, parse('{ resident(id: "x") { name phone } }'));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(documentHash(Buffer.alloc(32, 1), parse('{ resident(id: "x") { name } }'))).not.toBe(a);
  });
});
