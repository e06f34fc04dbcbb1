import Database from 'better-sqlite3';
import path from 'node:path';
import { AUDIT_ROW_COLUMNS, AUDIT_ROWS, fromRow } from '../../gateway/audit/audit-rows';
import { waitFor } from '../helpers/wait-for';
import { startStack, type Stack } from './stack';

/** The steward API on the main endpoint, governed like everything else. */
describe('data stewards', () => {
  let stack: Stack;
  const steward = { as: { sub: 'steward-1', department: 'data-office', roles: ['steward'] }, purpose: 'supervision' };
  /** Records of responses without personal data are written just after the response: waits for these. */
  const recorded = (...requestIds: string[]) =>
    waitFor(
      async () => {
        const [{ n }] = await stack.gateway.database.query(
          `SELECT COUNT(*) AS n FROM audit_event WHERE client_request_id IN (${requestIds.map(() => '?').join(', ')})`,
          requestIds,
        );
        return Number(n) === requestIds.length;
      },
      { what: `the audit records of ${requestIds.join(', ')}`, timeoutMs: 20_000 },
    );

  beforeAll(async () => {
    stack = await startStack({ residents: 300, seed: 67 });
  });
  afterAll(() => stack.stop());

  it('find who saw a resident, when, which fields and for what purpose, after a grid worker read them', async () => {
    const resident = stack.county.residents.find((r) => r.areaCode === stack.county.villages[0]!.code)!;
    const worker = { sub: 'w-42', department: 'grid', roles: ['grid_worker'], areas: [resident.areaCode] };
    await stack.query(
      'query ($id: ID!) { resident(id: $id) { name idNumber } }',
      { id: resident.id },
      { as: worker, purpose: 'assistance', headers: { 'x-request-id': 'worker-read' } },
    );
    await recorded('worker-read');
    const result = await stack.query<{ accessHistory: Record<string, unknown>[] }>(
      'query ($id: ID!) { accessHistory(subjectType: "Resident", subjectId: $id) { clientRequestId sub department purpose at decisions { coordinate decision grant } subjects { type id } } }',
      { id: resident.id },
      steward,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.accessHistory).toEqual([
      {
        clientRequestId: 'worker-read',
        sub: 'w-42',
        department: 'grid',
        purpose: 'assistance',
        at: expect.any(String),
        decisions: expect.arrayContaining([
          { coordinate: 'Resident.idNumber', decision: 'mask', grant: 'G1' },
          { coordinate: 'Resident.name', decision: 'allow', grant: 'G1' },
        ]),
        subjects: [{ type: 'Resident', id: resident.id }],
      },
    ]);
  });

  it('search the trail by caller, field and decision, a page at a time', async () => {
    for (let i = 0; i < 3; i += 1) {
      const as = { sub: `analyst-${i}`, department: 'statistics', roles: ['analyst'] };
      await stack.query('{ residents(first: 1) { nodes { phone } } }', undefined, {
        as,
        purpose: 'statistics',
        headers: { 'x-request-id': `analyst-read-${i}` },
      });
    }
    await recorded('analyst-read-0', 'analyst-read-1', 'analyst-read-2');
    const page = await stack.query<{
      auditEvents: {
        totalCount: number;
        nodes: { sub: string; decisions: { coordinate: string; decision: string }[] }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(
      '{ auditEvents(filter: { department: "statistics", coordinate: "Resident.phone", decision: "deny" }, first: 2) { totalCount nodes { sub decisions { coordinate decision } } pageInfo { hasNextPage endCursor } } }',
      undefined,
      steward,
    );
    expect(page.errors).toBeUndefined();
    expect(page.data!.auditEvents.totalCount).toBe(3);
    expect(page.data!.auditEvents.nodes.map((n) => n.sub)).toEqual(['analyst-2', 'analyst-1']);
    expect(page.data!.auditEvents.pageInfo.hasNextPage).toBe(true);
    const next = await stack.query<{ auditEvents: { nodes: { sub: string }[] } }>(
      'query ($after: String) { auditEvents(filter: { department: "statistics", coordinate: "Resident.phone", decision: "deny" }, first: 2, after: $after) { nodes { sub } } }',
      { after: page.data!.auditEvents.pageInfo.endCursor },
      steward,
    );
    expect(next.data!.auditEvents.nodes.map((n) => n.sub)).toEqual(['analyst-0']);
  });

  it.each(['99999999999', '1e308', '-1', 'abc'])('refuse the cursor %j as bad input', async (text) => {
    const result = await stack.query(
      'query ($after: String) { auditEvents(after: $after) { totalCount } }',
      { after: Buffer.from(text).toString('base64url') },
      steward,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('read the sharing catalog and the grants', async () => {
    const result = await stack.query<{
      sharingCatalog: { coordinate: string; sharing: string; masker: string | null }[];
      grants: { id: string; active: boolean }[];
    }>('{ sharingCatalog { coordinate owners sharing masker } grants { id consumer purposes masked active } }', undefined, steward);
    expect(result.data!.sharingCatalog).toContainEqual({
      coordinate: 'Resident.idNumber',
      owners: ['civil-affairs'],
      sharing: 'CONDITIONAL',
      masker: 'ID_NUMBER',
    });
    expect(result.data!.grants.map((g) => [g.id, g.active])).toEqual([
      ['G1', true],
      ['G2', true],
      ['G3', true],
      ['G4', true],
      ['G5', true],
    ]);
  });

  it.each([
    ['a grid worker', { department: 'grid', roles: ['grid_worker'] }],
    ['a civil-affairs officer', { department: 'civil-affairs', roles: ['officer'] }],
  ])('refuse the trail to %s', async (_case, as) => {
    const result = await stack.query(
      '{ auditEvents { totalCount nodes { sub } } accessHistory(subjectType: "Resident", subjectId: "x") { sub } grants { id } }',
      undefined,
      { as, purpose: 'supervision' },
    );
    expect(result.data).toEqual({ auditEvents: null, accessHistory: null, grants: null });
    expect(result.errors!.map((e) => e.extensions!.coordinate)).toEqual(['Query.auditEvents', 'Query.accessHistory', 'Query.grants']);
  });

  it('audit their own reads of the trail', async () => {
    await stack.query('{ auditEvents(first: 1) { totalCount } }', undefined, { ...steward, headers: { 'x-request-id': 'steward-read' } });
    await recorded('steward-read');
    const db = new Database(path.join(stack.dataDir, 'gateway.sqlite'), { readonly: true });
    const record = fromRow(
      db.prepare(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} WHERE e.client_request_id = 'steward-read'`).get() as Record<
        string,
        unknown
      >,
    );
    db.close();
    expect(record.sub).toBe('steward-1');
    expect(record.decisions).toContainEqual({ coordinate: 'Query.auditEvents', decision: 'allow' });
  });
});
