import Database from 'better-sqlite3';
import path from 'node:path';
import { loadSecret } from '../../common/key-files';
import { AUDIT_ROW_COLUMNS, AUDIT_ROWS, fromRow } from '../../gateway/audit/audit-rows';
import { verifyChain } from '../../gateway/audit/verify-chain';
import { waitFor } from '../helpers/wait-for';
import { postGraphQL, startStack, type Stack } from './stack';

/** The audit trail as the running gateway writes it. */
describe('the audit trail', () => {
  let stack: Stack;
  let db: Database.Database;
  const rows = () =>
    (db.prepare(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} ORDER BY e.seq`).all() as Record<string, unknown>[]).map(fromRow);
  const countOf = (requestIds: string) =>
    (db.prepare('SELECT COUNT(*) AS n FROM audit_event WHERE client_request_id LIKE ?').get(requestIds) as { n: number }).n;
  /** Records of responses without personal data are written just after the response: waits for `count` records of these request ids. */
  const recorded = (requestIds: string, count = 1) =>
    waitFor(() => countOf(requestIds) >= count, { what: `${count} audit records of ${requestIds}`, timeoutMs: 20_000 });
  const gridWorker = () => ({ department: 'grid', roles: ['grid_worker'], areas: [stack.county.villages[0]!.code] });

  beforeAll(async () => {
    stack = await startStack({ residents: 300, seed: 59 });
    db = new Database(path.join(stack.dataDir, 'gateway.sqlite'), { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await stack.stop();
  });

  it('writes exactly one record per request, in order, for mixed callers, refusals included', async () => {
    const ids: string[] = [];
    const send = async (id: string, run: (headers: Record<string, string>) => Promise<unknown>) => {
      ids.push(id);
      await run({ 'x-request-id': id });
    };
    await send('mixed-1', (headers) =>
      stack.query('{ residents(first: 2) { nodes { name idNumber } } }', undefined, { as: gridWorker(), purpose: 'assistance', headers }),
    );
    await send('mixed-2', (headers) =>
      stack.query('{ benefitSummary(areaCode: "610921") { activeCount } }', undefined, {
        as: { department: 'statistics', roles: ['analyst'] },
        purpose: 'statistics',
        headers,
      }),
    );
    await send('mixed-3', (headers) =>
      postGraphQL(stack.gatewayUrl, '{ residents { totalCount } }', undefined, {
        ...headers,
        authorization: 'Bearer forged.token.here',
        'x-purpose': 'service',
      }),
    );
    await send('mixed-4', (headers) => stack.query('{ residents { totalCount } }', undefined, { purpose: null, headers }));
    await send('mixed-5', (headers) =>
      stack.query('mutation { endBenefit(id: "x", endDate: "2026-01-01") { id } }', undefined, {
        as: gridWorker(),
        purpose: 'assistance',
        headers,
      }),
    );
    await send('mixed-6', (headers) => stack.query('{ residents { nodes { salary } } }', undefined, { headers }));
    await recorded('mixed-%', ids.length);
    const written = rows().filter((r) => r.clientRequestId?.startsWith('mixed-'));
    expect(written.map((r) => r.clientRequestId)).toEqual(ids);
    expect(written.map((r) => r.seq)).toEqual(ids.map((_, i) => written[0]!.seq + i));
    expect(written.map((r) => [r.outcome, r.status])).toEqual([
      ['ok', 200],
      ['ok', 200],
      ['refused', 401],
      ['refused', 400],
      ['refused', 403],
      ['error', 400],
    ]);
    expect(written[0]).toMatchObject({
      sub: 'test-officer',
      department: 'grid',
      roles: ['grid_worker'],
      purpose: 'assistance',
      operationType: 'query',
    });
    expect(written[0]!.decisions).toEqual(
      expect.arrayContaining([
        { coordinate: 'Resident.idNumber', decision: 'mask', grant: 'G1' },
        { coordinate: 'Resident.name', decision: 'allow', grant: 'G1' },
      ]),
    );
    expect(written[0]!.subjects.length).toBe(2);
    expect(written[2]).toMatchObject({ sub: null, purpose: null });
    expect(written[3]).toMatchObject({ sub: 'test-officer', purpose: null });
    expect(written[4]!.decisions).toEqual([expect.objectContaining({ coordinate: 'Mutation.endBenefit', decision: 'deny' })]);
  });

  it.each<[string, string, string]>([
    ['a batch', 'application/json', JSON.stringify([{ query: '{ residents { totalCount } }' }])],
    ['variables that are not an object', 'application/json', JSON.stringify({ query: '{ residents { totalCount } }', variables: 'x' })],
    ['an operationName that is not text', 'application/json', JSON.stringify({ query: '{ residents { totalCount } }', operationName: 5 })],
    ['a query that is not text', 'application/json', JSON.stringify({ query: 5 })],
    ['a plain-text body', 'text/plain', '{ residents { totalCount } }'],
  ])('refuses and records %s from an authenticated caller', async (name, contentType, body) => {
    const requestId = `shape-${name.replace(/\W+/g, '-')}`;
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        authorization: `Bearer ${await stack.token()}`,
        'x-purpose': 'service',
        'x-request-id': requestId,
      },
      body,
    });
    expect(response.status).toBe(400);
    await recorded(requestId);
    expect(
      rows()
        .filter((r) => r.clientRequestId === requestId)
        .map((r) => [r.outcome, r.status, r.sub]),
    ).toEqual([['refused', 400, 'test-officer']]);
  });

  it('escapes client-chosen labels and records operation names as parsed', async () => {
    await stack.query('query Cell { residents(first: 1) { totalCount } }', undefined, {
      headers: {
        'x-request-id': 'labels',
        'apollographql-client-name': 'app"\\u000a2026 sub=admin',
        'apollographql-client-version': '1.2.3',
      },
    });
    await recorded('labels');
    const record = rows().find((r) => r.clientRequestId === 'labels')!;
    expect(record).toMatchObject({ operationName: 'Cell', clientVersion: '1.2.3' });
    expect(record.clientName).not.toMatch(/[\n"]/);
  });

  it('holds no token, no cookie and no raw ID number after reads of personal data', async () => {
    const token = await stack.token(gridWorker());
    const resident = stack.county.residents.find((r) => r.areaCode === stack.county.villages[0]!.code)!;
    await postGraphQL(
      stack.gatewayUrl,
      `{ resident(id: "${resident.id}") { name phone idNumber } residents(filter: { name: "${resident.name}" }) { totalCount } }`,
      undefined,
      {
        authorization: `Bearer ${token}`,
        'x-purpose': 'assistance',
        cookie: 'session=secret-cookie',
        'x-request-id': 'personal-1',
      },
    );
    await stack.query(
      'query ($id: ID!) { resident(id: $id) { idNumber phone } }',
      { id: resident.id },
      { as: { department: 'civil-affairs', roles: ['officer'] }, headers: { 'x-request-id': 'personal-2' } },
    );
    await recorded('personal-%', 2);
    // Packed subjects as text, so an ID number kept in them as a subject id would show.
    const asText = (_: string, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value);
    const dump = [
      'SELECT * FROM audit_event',
      'SELECT * FROM audit_decision_list',
      'SELECT grp, bucket, hex(entries) AS entries FROM audit_subject_posting',
    ]
      .map((sql) => JSON.stringify(db.prepare(sql).all(), asText))
      .join('');
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.split('.')[2]!);
    expect(dump).not.toContain('secret-cookie');
    expect(dump).not.toContain(resident.idNumber);
    expect(dump).not.toContain(resident.phone);
    expect(dump).not.toContain(resident.name);
    for (const someone of stack.county.residents) expect(dump).not.toContain(someone.idNumber);
  });

  it('keeps gapless sequence numbers under 1,000 concurrent requests', async () => {
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        stack.query('{ residents(first: 1) { nodes { name } } }', undefined, {
          as: i % 2 ? gridWorker() : undefined,
          purpose: i % 2 ? 'assistance' : 'service',
          headers: { 'x-request-id': `burst-${i}` },
        }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    await recorded('burst-%', 1000);
    const written = rows().filter((r) => r.clientRequestId?.startsWith('burst-'));
    expect(written).toHaveLength(1000);
    expect(written.map((r) => r.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => written[0]!.seq + i));
    expect(new Set(written.map((r) => r.clientRequestId)).size).toBe(1000);
    const key = loadSecret('AUDIT_CHAIN_KEY', undefined, path.join(stack.dataDir, 'keys', 'gateway', 'audit-chain.key'));
    expect(verifyChain(key, rows())).toEqual({ intact: true, records: rows().length });
  }, 120_000);
});

describe('when the audit store cannot commit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 200, seed: 61 });
  });
  afterAll(() => stack.stop());

  const setReadOnly = (on: boolean) =>
    (stack.gateway.database.driver as unknown as { databaseConnection: { pragma(sql: string): unknown } }).databaseConnection.pragma(
      `query_only = ${on ? 'ON' : 'OFF'}`,
    );
  const OUTAGE = "client_request_id IN ('during-outage-personal', 'during-outage-public')";
  const count = async () => Number((await stack.gateway.database.query(`SELECT COUNT(*) AS n FROM audit_event WHERE ${OUTAGE}`))[0].n);

  it('withholds personal data with 503 AUDIT_UNAVAILABLE, still answers public data, and loses no record once it recovers', async () => {
    setReadOnly(true);
    try {
      const personal = await stack.query('{ residents(first: 2) { nodes { name idNumber } } }', undefined, {
        headers: { 'x-request-id': 'during-outage-personal' },
      });
      expect(personal.status).toBe(503);
      expect(personal.errors).toEqual([
        { message: 'The audit trail cannot record this request now; try again shortly', extensions: { code: 'AUDIT_UNAVAILABLE' } },
      ]);
      expect(JSON.stringify(personal)).not.toMatch(/\d{17}[\dX]/);
      const publicData = await stack.query(
        '{ residents(first: 2) { totalCount nodes { gender } } benefitSummary(areaCode: "610921") { activeCount } }',
        undefined,
        {
          headers: { 'x-request-id': 'during-outage-public' },
        },
      );
      expect(publicData.status).toBe(200);
      expect(publicData.errors).toBeUndefined();
      expect((await fetch(new URL('/readyz', stack.gatewayUrl))).status).toBe(503);
    } finally {
      setReadOnly(false);
    }
    await waitFor(async () => (await count()) === 2, { what: 'the records kept during the outage', timeoutMs: 10_000 });
    const written = (
      (await stack.gateway.database.query(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} WHERE ${OUTAGE} ORDER BY e.seq`)) as Record<
        string,
        unknown
      >[]
    ).map(fromRow);
    expect(written.map(({ clientRequestId, outcome, status, subjects }) => ({ clientRequestId, outcome, status, subjects }))).toEqual([
      { clientRequestId: 'during-outage-personal', outcome: 'error', status: 503, subjects: [] },
      { clientRequestId: 'during-outage-public', outcome: 'ok', status: 200, subjects: [] },
    ]);
    // Readiness probes the store (a probe's answer is reused for a second), so it returns by itself.
    await waitFor(async () => (await fetch(new URL('/readyz', stack.gatewayUrl))).status === 200, { what: 'ready again' });
  });
});

describe('shutting down', () => {
  it('writes every pending record before the gateway stops', async () => {
    const stack = await startStack({ residents: 100, seed: 71 });
    const dbPath = path.join(stack.dataDir, 'gateway.sqlite');
    // Public answers do not wait for their records: stop right after them.
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        stack.query('{ residents(first: 1) { totalCount } }', undefined, { headers: { 'x-request-id': `last-${i}` } }),
      ),
    );
    await stack.gateway.stop();
    const db = new Database(dbPath, { readonly: true });
    const written = db.prepare("SELECT COUNT(*) AS n FROM audit_event WHERE client_request_id LIKE 'last-%'").get() as { n: number };
    db.close();
    expect(written.n).toBe(50);
    await stack.stop();
  });
});
