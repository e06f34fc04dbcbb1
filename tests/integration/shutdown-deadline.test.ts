import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDataSource, openDataSource } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { gatewayKeyFile, loadSecret } from '../../common/key-files';
import type { AuditRecord } from '../../gateway/audit/audit-record';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { TrailStorage } from '../../gateway/audit/trail-storage';
import { reportVerdict, verifyAuditTrail } from '../../gateway/audit/verify-store';
import { waitFor } from '../helpers/wait-for';
import { COUNTY_OFFICER, startStack, type Stack } from './stack';

/**
 * The gateway's stop() keeps to SHUTDOWN_TIMEOUT_MS whatever it waits on,
 * and loses no audit record: requests still in flight at the cutoff are
 * recorded and their connections closed, and what the store cannot commit
 * by the deadline is spooled and replayed at the next start.
 */
describe('stopping the gateway within its deadline', () => {
  let stack: Stack;
  afterEach(() => stack.stop());

  const files = () => ({
    key: loadSecret('AUDIT_CHAIN_KEY', undefined, gatewayKeyFile(stack.dataDir, 'audit-chain.key')),
    anchor: path.join(stack.dataDir, 'audit-anchor.json'),
    spool: path.join(stack.dataDir, 'audit-spool.jsonl'),
  });
  const verdict = () => {
    const { key, anchor, spool } = files();
    return verifyAuditTrail(stack.gateway.database, key, anchor, spool);
  };
  const recordsOf = async (requestIds: string[]): Promise<AuditRecord[]> => {
    const found: AuditRecord[] = [];
    for await (const record of new TrailStorage(stack.gateway.database).records()) {
      if (!(record instanceof Error) && requestIds.includes(record.clientRequestId ?? '')) found.push(record);
    }
    return found;
  };
  /** Sends a request that stays unanswered until the test sees how it ended: its status, or 'cut' if its connection was closed. */
  const send = (query: string, requestId: string, purpose?: string | null) =>
    stack.query(query, undefined, { headers: { 'x-request-id': requestId }, ...(purpose === undefined ? {} : { purpose }) }).then(
      (result) => result.status,
      () => 'cut' as const,
    );

  it('returns in time with requests stuck on a hung subgraph, and each of them has one record (503) after the next start', async () => {
    // The subgraph timeout is past the deadline: only the stop can end these requests in time.
    stack = await startStack({ residents: 200, seed: 31, subgraphTimeoutMs: 25_000, shutdownTimeoutMs: 2_000, purpose: 'assistance' });
    stack.breakProxy('grid', { hang: true });
    const ids = ['cut-1', 'cut-2', 'cut-3'];
    const before = stack.received.grid!.length;
    const answers = ids.map((id) => send('{ residents(first: 2) { nodes { name careLevel } } }', id));
    await waitFor(() => stack.received.grid!.length >= before + ids.length, { what: 'every request to wait on the hung grid' });
    const started = Date.now();
    await stack.gateway.stop();
    const took = Date.now() - started;
    expect(took).toBeLessThan(2_000 + 1_000);
    // The cutoff comes a quarter of the time (at most 5 s) before the deadline, for the audit.
    expect(took).toBeGreaterThanOrEqual(1_500 - 50);
    expect(await Promise.all(answers)).toEqual(['cut', 'cut', 'cut']);

    await stack.restartGateway();
    const records = await recordsOf(ids);
    expect(records.map((record) => record.clientRequestId).sort()).toEqual(ids);
    for (const record of records) {
      expect(record).toMatchObject({
        sub: COUNTY_OFFICER.sub,
        purpose: 'assistance',
        operationType: 'query',
        outcome: 'error',
        status: 503,
        subjects: [],
      });
    }
    expect(await verdict()).toMatchObject({ intact: true });
  }, 60_000);

  it('spools what a store locked by another connection cannot commit; audit:verify reports it; the next start replays it, each once', async () => {
    stack = await startStack({ residents: 200, seed: 32, shutdownTimeoutMs: 3_000 });
    await stack.query('{ residents(first: 1) { nodes { name } } }', undefined, { headers: { 'x-request-id': 'before' } });
    // Another process's write transaction: every commit of the gateway waits for it, then fails.
    const lock = new Database(path.join(stack.dataDir, 'gateway.sqlite'));
    lock.exec('BEGIN IMMEDIATE');
    try {
      const refusedIds = ['refused-1', 'refused-2', 'refused-3', 'refused-4'];
      // Refused at the door (no purpose): recorded without waiting.
      const refused = refusedIds.map((id) => send('{ residents(first: 1) { totalCount } }', id, null));
      // Personal data: it waits for its record, which cannot be committed, so it is withheld.
      const personal = stack.query('{ residents(first: 1) { nodes { name } } }', undefined, { headers: { 'x-request-id': 'personal' } });
      expect(await Promise.all(refused)).toEqual([400, 400, 400, 400]);
      expect(await personal).toMatchObject({ status: 503, errors: [{ extensions: { code: 'AUDIT_UNAVAILABLE' } }] });

      const started = Date.now();
      await stack.gateway.stop();
      expect(Date.now() - started).toBeLessThan(3_000 + 1_000);
      const { spool } = files();
      expect(existsSync(spool)).toBe(true);
      expect(statSync(spool).mode & 0o777).toBe(0o600);
      lock.exec('ROLLBACK');

      // audit:verify, run while the gateway is down, on its database.
      const { key, anchor } = files();
      const db = { kind: 'sqlite' as const, path: path.join(stack.dataDir, 'gateway.sqlite') };
      const offline = await openDataSource(
        createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()),
        db,
      );
      try {
        const found = await verifyAuditTrail(offline, key, anchor, spool);
        // The sandbox's seeded sharing history is record 1, the request `before` record 2.
        expect(found).toEqual({ intact: true, records: 2, spooled: 5 });
        expect(reportVerdict(found, spool)).toMatchObject({
          text: expect.stringMatching(/^audit trail not complete: 2 records intact, and 5 more waiting in the spool/),
          code: 3,
        });
      } finally {
        await offline.destroy();
      }

      await stack.restartGateway();
      expect(existsSync(spool)).toBe(false);
      const records = await recordsOf(['before', ...refusedIds, 'personal']);
      // Each once; the waiting ones in the order the gateway queued them, which the requests' race decides.
      expect(records.map((record) => [record.clientRequestId, record.outcome, record.status]).sort()).toEqual([
        ['before', 'ok', 200],
        ['personal', 'error', 503],
        ...refusedIds.map((id) => [id, 'refused', 400]),
      ]);
      expect(records.map((record) => record.seq)).toEqual([2, 3, 4, 5, 6, 7]);
      expect(await verdict()).toEqual({ intact: true, records: 7 });
    } finally {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
    }
  }, 60_000);
});
