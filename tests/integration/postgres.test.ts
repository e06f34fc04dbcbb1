import path from 'node:path';
import { DEPARTMENTS, findDepartment } from '../../common/departments';
import { encodeContext, signRequest } from '../../common/governance-context';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import { loadDepartment } from '../../subgraphs/departments';
import { loadSecret } from '../../common/key-files';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import { AuditStore } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { SUBJECT_BUCKET_SIZE } from '../../gateway/audit/subject-key';
import { unpackSubjects } from '../../gateway/audit/packed-subjects';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import { auditEntry } from './audit-entry';
import { startPostgres, type Postgres } from './postgres';
import { expectRefused } from './expect-error';
import { describeConcurrentWrites } from './concurrent-writes';
import { GRID_WORKER, postGraphQL, startStack, grantsWithSupervision, type Stack } from './stack';
import { waitFor } from '../helpers/wait-for';

/**
 * The same subgraphs on PostgreSQL (one database each, as with a
 * *_DATABASE_URL per subgraph): migrations, seed, batched lookups,
 * pagination, aggregates and a transition all behave as on SQLite.
 */
describe('on PostgreSQL', () => {
  let postgres: Postgres;
  let stack: Stack;
  beforeAll(async () => {
    postgres = await startPostgres();
    for (const name of [...DEPARTMENTS.map((department) => department.name.replaceAll('-', '_')), 'gateway'])
      await postgres.createDatabase(name);
    stack = await startStack({
      residents: 1500,
      seed: 21,
      purpose: 'supervision',
      grants: grantsWithSupervision(),
      database: (subgraph) => ({ kind: 'postgres', url: postgres.url(subgraph.replaceAll('-', '_')) }),
      gatewayDatabase: { kind: 'postgres', url: postgres.url('gateway') },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await postgres?.stop();
  });

  it('answers a cross-department page with the same statement count for 10 and 50 residents', async () => {
    const query = `query ($first: Int!) { residents(filter: { areaCode: "610921" }, first: $first) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes {
        id name household { id members { id } } benefits { type } gridCell { id worker { name } } careLevel petitions { id gridCell { id } }
        employment { status since } pensions { month amount }
      }
    } }`;
    const counted = async (first: number) => {
      const before = stack.statements();
      const result = await stack.query<{ residents: { totalCount: number; nodes: unknown[] } }>(query, { first });
      expect(result.errors).toBeUndefined();
      expect(result.data!.residents.totalCount).toBe(1500);
      expect(result.data!.residents.nodes).toHaveLength(first);
      return stack.statements() - before;
    };
    expect(await counted(50)).toBe(await counted(10));
  });

  it('keeps social security’s records, dates and amounts as on SQLite, and its summary in step with them', async () => {
    const retiree = stack.county.employments.find((e) => e.status === 'RETIRED' && e.employerName)!;
    const result = await stack.query<{ resident: unknown; socialSecuritySummary: { total: number } }>(
      'query ($id: ID!) { resident(id: $id) { employment { status since } pensions { month amount } } socialSecuritySummary(areaCode: "610921") { total } }',
      { id: retiree.residentId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      resident: {
        employment: { status: 'RETIRED', since: retiree.since },
        pensions: stack.county.pensionPayments
          .filter((p) => p.residentId === retiree.residentId)
          .sort((a, b) => b.month.localeCompare(a.month))
          .map((p) => ({ month: p.month, amount: p.amount })),
      },
      socialSecuritySummary: { total: stack.county.employments.length },
    });
  });

  it('refuses a signed request to social security replayed to a second instance on the same PostgreSQL database', async () => {
    const config = {
      ...loadDepartmentConfig('social-security', { DATA_DIR: stack.dataDir }),
      port: 0,
      database: stack.database('social-security'),
    };
    const second = await (await loadDepartment(findDepartment('social-security'))).start(config, createLogger('test', 'silent'));
    try {
      const query = '{ socialSecuritySummary(areaCode: "610921") { total } }';
      const body = JSON.stringify({ query });
      const caller = encodeContext({
        sub: 'x',
        department: 'statistics',
        roles: ['analyst'],
        areas: ['610921'],
        purpose: 'statistics',
        requestId: 'pg-replay',
      });
      const headers = { ...signRequest(stack.signingKey, 'social-security', caller, body) };
      expect((await postGraphQL(stack.subgraphs['social-security']!.url, query, undefined, headers, body)).status).toBe(200);
      expect((await postGraphQL(second.url, query, undefined, headers, body)).status).toBe(401);
      expect(
        (await postGraphQL(second.url, query, undefined, { ...signRequest(stack.signingKey, 'social-security', caller, body) }, body))
          .status,
      ).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('pages petitions newest first and counts them by status', async () => {
    const page = await stack.query<{ petitions: { nodes: { receivedAt: string }[] } }>(`{ petitions(first: 10) { nodes { receivedAt } } }`);
    const times = page.data!.petitions.nodes.map((n) => n.receivedAt);
    expect(times).toEqual([...times].sort().reverse());
    const stats = await stack.query<{ petitionStats: { total: number } }>(
      `{ petitionStats(areaCode: "610921") { total overdue byStatus { status count } } }`,
      undefined,
      { as: { department: 'petitions', roles: ['officer'] } },
    );
    expect(stats.data!.petitionStats.total).toBe(stack.county.petitions.length);
  });

  it('runs mutations in transactions and refuses invalid transitions', async () => {
    const cell = stack.county.cells.find((c) => c.level === 3)!;
    const reported = await stack.query<{ reportIncident: { id: string } }>(
      `mutation ($input: ReportIncidentInput!) { reportIncident(input: $input) { id status } }`,
      { input: { cellId: cell.id, reportedById: cell.workerId, category: 'SANITATION', description: '垃圾未清运' } },
      { as: GRID_WORKER },
    );
    expect(reported.errors).toBeUndefined();
    const id = reported.data!.reportIncident.id;
    expectRefused(
      await stack.query(`mutation ($id: ID!) { resolveIncident(id: $id, resolution: "已清运") { id } }`, { id }, { as: GRID_WORKER }),
      'INVALID_TRANSITION',
      /REPORTED cannot be resolved/,
    );
    const resident = stack.county.residents[3]!;
    const grant = await stack.query(`mutation ($input: GrantBenefitInput!) { grantBenefit(input: $input) { status monthlyAmount } }`, {
      input: { residentId: resident.id, type: 'DISABILITY_ALLOWANCE', monthlyAmount: 95.5, startDate: '2026-03-01' },
    });
    expect(grant.data).toEqual({ grantBenefit: { status: 'ACTIVE', monthlyAmount: 95.5 } });
  });

  it('refuses a NUL character as bad input, not as an internal error, at the gateway and at the subgraph itself', async () => {
    const query = 'query ($id: ID!) { petition(id: $id) { id } }';
    expectRefused(await stack.query(query, { id: '\u0000' }), 'BAD_USER_INPUT', /control characters/);
    expectRefused(
      await stack.querySubgraphSigned(stack.subgraphs.petitions.url, query, { id: 'x\u0000' }),
      'BAD_USER_INPUT',
      /control characters/,
    );
  });

  it('keeps the audit trail append-only and searchable on PostgreSQL', async () => {
    await stack.query('{ residents(first: 2) { nodes { name } } }', undefined, { headers: { 'x-request-id': 'pg-audit' } });
    const db = stack.gateway.database;
    // The record is committed after the response is sent.
    const [row] = await waitFor(
      async () => {
        const rows = await db.query(
          "SELECT e.seq, e.outcome, e.subject_ids, l.decisions AS listed FROM audit_event e JOIN audit_decision_list l ON l.ref = e.decisions_ref WHERE e.client_request_id = 'pg-audit'",
        );
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the audit record of pg-audit' },
    );
    expect(row).toMatchObject({ outcome: 'ok', listed: expect.stringContaining('["Query.residents","allow",') });
    expect(unpackSubjects(row.subject_ids)).toHaveLength(2);
    await expect(db.query("UPDATE audit_decision_list SET decisions = '[]'")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_decision_list')).rejects.toThrow(/append-only/);
    await expect(db.query("UPDATE audit_event SET outcome = 'error' WHERE client_request_id = 'pg-audit'")).rejects.toThrow(/append-only/);
    await expect(db.query("DELETE FROM audit_event WHERE client_request_id = 'pg-audit'")).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
    const steward = await stack.query<{ auditEvents: { totalCount: number } }>(
      '{ auditEvents(filter: { coordinate: "Resident.name", decision: "allow" }) { totalCount } }',
      undefined,
      { as: { department: 'data-office', roles: ['steward'] }, purpose: 'supervision' },
    );
    expect(steward.errors).toBeUndefined();
    expect(steward.data!.auditEvents.totalCount).toBeGreaterThanOrEqual(1);
  });

  it('finds who saw a resident on PostgreSQL', async () => {
    const seen = await stack.query<{ residents: { nodes: { id: string }[] } }>('{ residents(first: 3) { nodes { id name } } }', undefined, {
      headers: { 'x-request-id': 'pg-subjects' },
    });
    const id = seen.data!.residents.nodes[1]!.id;
    const history = await stack.query<{ accessHistory: { clientRequestId: string }[] }>(
      `{ accessHistory(subjectType: "Resident", subjectId: "${id}") { clientRequestId } }`,
      undefined,
      { as: { department: 'data-office', roles: ['steward'] }, purpose: 'supervision' },
    );
    expect(history.errors).toBeUndefined();
    expect(history.data!.accessHistory.map((event) => event.clientRequestId)).toContain('pg-subjects');
    const db = stack.gateway.database;
    const key = loadSecret('AUDIT_CHAIN_KEY', undefined, path.join(stack.dataDir, 'keys', 'gateway', 'audit-chain.key'));
    expect(await verifyAuditTrail(db, key, path.join(stack.dataDir, 'audit-anchor.json'))).toMatchObject({ intact: true });
  });

  it('writes full buckets of the subject index as posting lists on PostgreSQL, reads them back, rebuilds them, and keeps them append-only', async () => {
    await postgres.createDatabase('audit');
    const config: DatabaseConfig = { kind: 'postgres', url: postgres.url('audit') };
    const db = await openDataSource(
      createDataSource(config, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()),
      config,
    );
    try {
      const key = Buffer.alloc(32, 9);
      const anchor = path.join(stack.dataDir, 'audit-postings-anchor.json');
      const open = async () => {
        const store = new AuditStore(db, key, anchor, createLogger('test', 'silent'));
        await store.open();
        return store;
      };
      const store = await open();
      const total = SUBJECT_BUCKET_SIZE + 30;
      for (let start = 1; start <= total; start += 500) {
        await Promise.all(
          Array.from({ length: Math.min(500, total - start + 1) }, (_, i) =>
            store.append(auditEntry(start + i, { subjects: [{ type: 'Resident', id: `r${(start + i) % 5}` }] })),
          ),
        );
      }
      await store.drain();
      const r2 = Array.from({ length: total }, (_, i) => total - i).filter((seq) => seq % 5 === 2);
      expect(await store.subjectHistory({ type: 'Resident', id: 'r2' }, 5000)).toEqual(r2);
      expect(await db.query('SELECT bucket, entries FROM audit_subject_bucket')).toEqual([{ bucket: 0, entries: SUBJECT_BUCKET_SIZE - 1 }]);
      expect(Number((await db.query('SELECT COUNT(*) AS n FROM audit_subject_posting'))[0].n)).toBe(5);
      expect(await verifyAuditTrail(db, key, anchor)).toEqual({ intact: true, records: total });
      expect(await (await open()).subjectHistory({ type: 'Resident', id: 'r2' }, 5000)).toEqual(r2);
      for (const table of ['audit_subject_posting', 'audit_subject_bucket']) {
        await expect(db.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
        await expect(db.query(`UPDATE ${table} SET bucket = 7`)).rejects.toThrow(/append-only/);
        await expect(db.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
      }
    } finally {
      await db.destroy();
    }
  });

  it('records a refusal with an outsized client name and an outsized operation name, and keeps recording after it', async () => {
    const db = stack.gateway.database;
    await postGraphQL(stack.gatewayUrl, `query ${'Q'.repeat(300)} { residents { totalCount } }`, undefined, {
      'apollographql-client-name': '"'.repeat(500),
      'x-request-id': 'pg-outsized',
    });
    await stack.query(`query ${'L'.repeat(300)} { residents(first: 1) { nodes { name } } }`, undefined, {
      headers: { 'x-request-id': 'pg-after-outsized' },
    });
    const rows = await db.query(
      "SELECT client_request_id, status FROM audit_event WHERE client_request_id IN ('pg-outsized', 'pg-after-outsized') ORDER BY seq",
    );
    expect(rows).toEqual([
      { client_request_id: 'pg-outsized', status: 401 },
      { client_request_id: 'pg-after-outsized', status: 200 },
    ]);
  });

  describeConcurrentWrites(() => stack);
});
