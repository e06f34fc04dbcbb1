import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { DEPARTMENTS } from '../../common/departments';
import { createLogger } from '../../common/logger';
import { AuditStore } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { SUBJECT_BUCKET_SIZE } from '../../gateway/audit/subject-key';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import type { RunningGateway } from '../../gateway/server';
import { waitFor } from '../helpers/wait-for';
import { auditEntry } from './audit-entry';
import { startPostgres, type Postgres } from './postgres';
import { GRID_WORKER, postGraphQL, startStack, type Stack } from './stack';

const KEY = Buffer.alloc(32, 21);
const WRITERS = 4;
/** Enough records that the subject index closes a bucket while the writers race. */
const PER_WRITER = Math.ceil((SUBJECT_BUCKET_SIZE + 300) / WRITERS);

/**
 * Several gateway processes on one PostgreSQL database: the audit stores of
 * four replicas appending at once keep one gapless, verifiable chain, none
 * refused; each finds what the others recorded; and two running gateways
 * share grants, sharing requests and the subject history.
 */
describe('gateway replicas on one PostgreSQL database', () => {
  let postgres: Postgres;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(() => postgres?.stop());

  describe('the audit stores of four replicas', () => {
    const config = (): DatabaseConfig => ({ kind: 'postgres', url: postgres.url('audit_replicas') });
    let databases: DataSource[] = [];
    let stores: AuditStore[] = [];
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'govgraph-replicas-'));
      await postgres.createDatabase('audit_replicas');
      // A server whose transactions default to a stricter level: the writers still read the head after the lock.
      const admin = new Client({ connectionString: postgres.url('audit_replicas') });
      await admin.connect();
      await admin.query(`ALTER DATABASE audit_replicas SET default_transaction_isolation = 'repeatable read'`);
      await admin.end();
      // Opened together, as a rollout starts them: the migrations run once, under the startup lock.
      databases = await Promise.all(
        Array.from({ length: WRITERS }, () =>
          openDataSource(createDataSource(config(), { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()), config()),
        ),
      );
      stores = databases.map(
        (database, i) =>
          new AuditStore(
            database,
            KEY,
            path.join(dir, `anchor-${i}.json`),
            createLogger('test', 'silent'),
            path.join(dir, `spool-${i}.jsonl`),
          ),
      );
      await Promise.all(stores.map((store) => store.open()));
    }, 60_000);
    afterAll(async () => {
      await Promise.all(databases.map((database) => database.destroy()));
      rmSync(dir, { recursive: true, force: true });
    });

    it('append at once into one gapless chain that verifies against every anchor, none refused', async () => {
      const subjectOf = (writer: number, i: number) => [{ type: 'Resident', id: `w${writer}-r${i % 7}` }];
      const results = await Promise.allSettled(
        stores.flatMap((store, writer) =>
          Array.from({ length: PER_WRITER }, (_, i) => {
            const entry = auditEntry(i, { requestId: `w${writer}-${i}`, subjects: subjectOf(writer, i) });
            // Half wait for their record, as a response with personal data does; half do not.
            if (i % 2 === 0) return store.append(entry);
            store.appendLater(entry);
            return Promise.resolve(0);
          }),
        ),
      );
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      // Each replica finds the records the others committed, before anything is drained.
      const seqsOf = async (store: AuditStore, writer: number) => store.subjectHistory(subjectOf(writer, 0)[0]!, 10_000);
      const [fromOwn, fromOther] = [await seqsOf(stores[0]!, 0), await seqsOf(stores[3]!, 0)];
      expect(fromOther.length).toBeGreaterThan(0);
      expect(fromOther).toEqual(fromOwn.slice(0, fromOther.length));
      await Promise.all(stores.map((store) => store.drain()));

      const total = WRITERS * PER_WRITER;
      const [{ n, low, high, ids }] = await databases[0]!.query(
        'SELECT COUNT(*) AS n, MIN(seq) AS low, MAX(seq) AS high, COUNT(DISTINCT request_id) AS ids FROM audit_event',
      );
      expect([Number(n), Number(low), Number(high), Number(ids)]).toEqual([total, 1, total, total]);
      // Every replica's commits went into the one chain: the writers took turns rather than each its own block.
      const [{ switches }] = await databases[0]!.query(
        `SELECT COUNT(*) AS switches FROM (SELECT split_part(request_id, '-', 1) AS w, LAG(split_part(request_id, '-', 1)) OVER (ORDER BY seq) AS p FROM audit_event) t WHERE w <> p`,
      );
      expect(Number(switches)).toBeGreaterThan(WRITERS);
      for (let i = 0; i < WRITERS; i += 1) {
        expect(await verifyAuditTrail(databases[0]!, KEY, path.join(dir, `anchor-${i}.json`))).toEqual({
          intact: true,
          records: total,
        });
      }
      // Each writer's subjects are found by every replica, old buckets from the index and the newest from the trail.
      const expected = (
        await databases[0]!.query(
          `SELECT seq FROM audit_event WHERE request_id LIKE 'w2-%' AND (CAST(split_part(request_id, '-', 2) AS integer) % 7) = 3 ORDER BY seq DESC`,
        )
      ).map((row: { seq: number }) => Number(row.seq));
      for (const store of stores) expect(await store.subjectHistory({ type: 'Resident', id: 'w2-r3' }, 10_000)).toEqual(expected);
      expect(Number((await databases[0]!.query('SELECT COUNT(*) AS n FROM audit_subject_bucket'))[0].n)).toBeGreaterThanOrEqual(1);
    }, 120_000);
  });

  describe('two running gateways', () => {
    let stack: Stack;
    let second: RunningGateway;
    beforeAll(async () => {
      for (const name of [...DEPARTMENTS.map((department) => department.name.replaceAll('-', '_')), 'gateway_replicas'])
        await postgres.createDatabase(name === 'gateway_replicas' ? name : `r_${name}`);
      stack = await startStack({
        residents: 400,
        seed: 5,
        database: (subgraph) => ({ kind: 'postgres', url: postgres.url(`r_${subgraph.replaceAll('-', '_')}`) }),
        gatewayDatabase: { kind: 'postgres', url: postgres.url('gateway_replicas') },
        // Grants are read again only once a minute: a change reaches the other replica by its announcement.
        grantsReloadMs: 60_000,
      });
      second = await stack.startReplica('b');
    }, 120_000);
    afterAll(() => stack?.stop());

    const askBoth = async (query: string, as: Parameters<Stack['token']>[0], purpose: string, clientId: string) => {
      const headers = { authorization: `Bearer ${await stack.token(as)}`, 'x-purpose': purpose, 'x-request-id': clientId };
      return Promise.all([stack.gatewayUrl, second.url].map((url) => postGraphQL<Record<string, unknown>>(url, query, undefined, headers)));
    };

    // 24 at once to each: within one caller's 32 requests in flight.
    it('answer personal data from both at once, each request recorded once in one chain', async () => {
      const query = `{ residents(filter: { areaCode: "610921" }, first: 5) { nodes { id name phone } } }`;
      const answers = (
        await Promise.all(Array.from({ length: 24 }, (_, i) => askBoth(query, GRID_WORKER, 'assistance', `both-${i}`)))
      ).flat();
      expect(answers.filter((answer) => answer.status !== 200).map((answer) => [answer.status, answer.errors])).toEqual([]);
      expect(answers.every((answer) => !answer.errors)).toBe(true);
      const rows: { client_request_id: string; n: number | string }[] = await second.database.query(
        `SELECT client_request_id, COUNT(*) AS n FROM audit_event WHERE client_request_id LIKE 'both-%' GROUP BY client_request_id`,
      );
      expect(rows).toHaveLength(24);
      // Both gateways answered each client id once: two records each.
      expect(rows.every((row) => Number(row.n) === 2)).toBe(true);
    });

    it('find who saw a resident on either, whichever recorded it', async () => {
      const id = stack.county.residents[3]!.id;
      const seen = `{ resident(id: "${id}") { id name } }`;
      const headers = { authorization: `Bearer ${await stack.token(GRID_WORKER)}`, 'x-purpose': 'assistance', 'x-request-id': 'seen-on-a' };
      expect((await postGraphQL(stack.gatewayUrl, seen, undefined, headers)).status).toBe(200);
      const history = `{ accessHistory(subjectType: "Resident", subjectId: "${id}") { requestId clientRequestId } }`;
      const office = { sub: 'data-office-steward', department: 'data-office', roles: ['steward'] };
      const onB = await postGraphQL<{ accessHistory: { clientRequestId: string | null }[] }>(second.url, history, undefined, {
        authorization: `Bearer ${await stack.token(office)}`,
        'x-purpose': 'supervision',
      });
      expect(onB.errors).toBeUndefined();
      expect(onB.data!.accessHistory.map((record) => record.clientRequestId)).toContain('seen-on-a');
    });

    it('share grants and sharing requests: a revocation on one is in force there at once and on the other as soon as it is told', async () => {
      const query = `{ residents(filter: { areaCode: "610921" }, first: 1) { nodes { name } } }`;
      const [beforeA, beforeB] = await askBoth(query, GRID_WORKER, 'assistance', 'before-revoke');
      for (const answer of [beforeA, beforeB]) expect(answer.data).toMatchObject({ residents: { nodes: [{ name: expect.any(String) }] } });
      const civil = { sub: 'civil-affairs-steward', department: 'civil-affairs', roles: ['steward'] };
      const revoked = await postGraphQL<{ revokeGrant: { active: boolean; requestId: string } }>(
        stack.gatewayUrl,
        'mutation { revokeGrant(id: "G1", reason: "停止共享") { active requestId } }',
        undefined,
        { authorization: `Bearer ${await stack.token(civil)}`, 'x-purpose': 'supervision' },
      );
      expect(revoked.data?.revokeGrant.active).toBe(false);
      const [onA] = await askBoth(query, GRID_WORKER, 'assistance', 'right-after-revoke');
      expect(onA.data).toMatchObject({ residents: { nodes: [{ name: null }] } });
      const revokedAt = Date.now();
      await waitFor(
        async () => {
          const [, onB] = await askBoth(query, GRID_WORKER, 'assistance', 'after-revoke');
          return onB.data && (onB.data as { residents: { nodes: { name: string | null }[] } }).residents.nodes[0]?.name === null;
        },
        { what: 'the other replica to apply the revocation', timeoutMs: 10_000, intervalMs: 20 },
      );
      // Well inside the minute between readings.
      expect(Date.now() - revokedAt).toBeLessThan(5_000);
      // The request behind the revoked grant, and its new step, read the same on the other replica.
      const onB = await postGraphQL<{ sharingRequest: { history: { action: string }[] } }>(
        second.url,
        `{ sharingRequest(id: "${revoked.data!.revokeGrant.requestId}") { history { action } } }`,
        undefined,
        { authorization: `Bearer ${await stack.token(civil)}`, 'x-purpose': 'supervision' },
      );
      expect(onB.data!.sharingRequest.history.map((step) => step.action)).toEqual(['REQUEST', 'FORWARD', 'APPROVE', 'REVOKE']);
    });
  });
});
