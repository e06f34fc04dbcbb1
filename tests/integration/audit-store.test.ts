import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import type { AuditEntry, AuditRecord } from '../../gateway/audit/audit-record';
import { AuditStore, AuditUnavailableError, fromRow } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { subjectKeyer } from '../../gateway/audit/subject-key';
import { verifyChain } from '../../gateway/audit/verify-chain';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import { auditEntry } from './audit-entry';

const KEY = Buffer.alloc(32, 3);
const entry = (i: number): AuditEntry => auditEntry(i, { at: new Date().toISOString(), sub: 'u', subjects: [{ type: 'Resident', id: `r${i % 7}` }] });

/** The audit store on a real SQLite file. */
describe('the audit store', () => {
  let dir: string;
  let db: DatabaseConfig;
  let dataSource: DataSource;
  let store: AuditStore;
  const records = async (): Promise<AuditRecord[]> => ((await dataSource.query('SELECT * FROM audit_event ORDER BY seq')) as Record<string, unknown>[]).map(fromRow);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-audit-'));
    db = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    dataSource = await openDataSource(createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()), db);
    store = new AuditStore(dataSource, KEY, path.join(dir, 'audit-anchor.json'), createLogger('test', 'silent'));
    await store.open();
  });
  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits 1,000 concurrent records with gapless sequence numbers, in far fewer transactions', async () => {
    const seqs = await Promise.all(Array.from({ length: 1000 }, (_, i) => store.append(entry(i))));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const stored = await records();
    expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(store.commits).toBeLessThan(50);
    await store.drain();
    expect(verifyChain(KEY, stored, store.readAnchor())).toEqual({ intact: true, records: 1000 });
  });

  it('indexes subjects so one subject’s history is a lookup, under keys that hold no raw id', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(entry(i))));
    await store.flushSubjectIndex();
    const key = subjectKeyer(KEY)({ type: 'Resident', id: 'r3' });
    const rows = await dataSource.query('SELECT seq FROM audit_subject_key WHERE bucket = 0 AND subject_key = ? ORDER BY seq', [key]);
    expect(rows.map((r: { seq: number }) => Number(r.seq))).toEqual([4, 11, 18]);
    const plan = await dataSource.query('EXPLAIN QUERY PLAN SELECT seq FROM audit_subject_key WHERE bucket IN (0, 1) AND subject_key = ?', [key]);
    expect(JSON.stringify(plan)).toMatch(/SEARCH audit_subject_key USING PRIMARY KEY \(bucket=\? AND subject_key=\?\)/);
    const index = JSON.stringify(await dataSource.query('SELECT CAST(subject_key AS TEXT) AS k, seq FROM audit_subject_key'));
    expect(index).not.toMatch(/r3|Resident/);
  });

  it('answers the waiter when its record is committed, and indexes subjects after, in one batch', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(entry(i))));
    expect(await records()).toHaveLength(20);
    expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM audit_subject_key'))[0].n)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM audit_subject_key'))[0].n)).toBe(20);
    // What verification says of a trail whose index is behind: intact, with the tail not indexed yet.
    await store.append(entry(20));
    await store.append(entry(21));
    expect(await verifyAuditTrail(dataSource, KEY, path.join(dir, 'audit-anchor.json'))).toEqual({ intact: true, records: 22, unindexed: 2 });
  });

  it('indexes, when it opens, the subjects of records whose index rows are missing (as after the migration to keyed rows)', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(entry(i))));
    await store.drain();
    for (const trigger of ['audit_subject_key_no_delete']) await dataSource.query(`DROP TRIGGER ${trigger}`);
    await dataSource.query('DELETE FROM audit_subject_key WHERE seq > 5');
    const reopened = new AuditStore(dataSource, KEY, path.join(dir, 'audit-anchor.json'), createLogger('test', 'silent'));
    await reopened.open();
    const key = subjectKeyer(KEY)({ type: 'Resident', id: 'r3' });
    const rows = await dataSource.query('SELECT seq FROM audit_subject_key WHERE bucket = 0 AND subject_key = ? ORDER BY seq', [key]);
    expect(rows.map((r: { seq: number }) => Number(r.seq))).toEqual([4, 11, 18]);
    expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM audit_subject_key'))[0].n)).toBe(20);
  });

  it.each(['UPDATE audit_event SET purpose = \'statistics\'', 'DELETE FROM audit_event', 'DELETE FROM audit_subject_key', 'UPDATE audit_subject_key SET seq = 0'])(
    'refuses %s',
    async (statement) => {
      await store.append(entry(1));
      await store.flushSubjectIndex();
      await expect(dataSource.query(statement)).rejects.toThrow(/append-only/);
      expect(await records()).toHaveLength(1);
    },
  );

  it('tells the waiter when it cannot commit, keeps the record, and writes it once the store recovers', async () => {
    await store.append(entry(1));
    const connection = (dataSource.driver as unknown as { databaseConnection: { pragma(sql: string): unknown } }).databaseConnection;
    connection.pragma('query_only = ON');
    await expect(store.append(entry(2))).rejects.toBeInstanceOf(AuditUnavailableError);
    // The waiter records what it did instead (it withheld its response).
    store.appendLater({ ...entry(2), outcome: 'error', status: 503 });
    store.appendLater(entry(3));
    expect(store.pending).toBeGreaterThanOrEqual(1);
    connection.pragma('query_only = OFF');
    await store.drain();
    const stored = await records();
    expect(stored.map((r) => [r.requestId, r.status])).toEqual([['req-1', 200], ['req-2', 503], ['req-3', 200]]);
    expect(verifyChain(KEY, stored, store.readAnchor())).toEqual({ intact: true, records: 3 });
  });

  it('refuses to continue a chain whose anchored tail was cut off while it was down', async () => {
    for (let i = 1; i <= 3; i += 1) await store.append(entry(i));
    await store.drain();
    await dataSource.query('DROP TRIGGER audit_event_no_delete');
    await dataSource.query('DELETE FROM audit_event WHERE seq = 3');
    const reopened = new AuditStore(dataSource, KEY, path.join(dir, 'audit-anchor.json'), createLogger('test', 'silent'));
    await expect(reopened.open()).rejects.toThrow('the audit trail no longer reaches its anchored record 3');
  });

  it('gives up draining after a few seconds while the store is down, keeping the records queued and no timer running', async () => {
    const connection = (dataSource.driver as unknown as { databaseConnection: { pragma(sql: string): unknown } }).databaseConnection;
    connection.pragma('query_only = ON');
    store.appendLater(entry(1));
    await store.drain();
    expect(store.pending).toBe(1);
    connection.pragma('query_only = OFF');
  });

  it('continues the chain after a restart', async () => {
    await store.append(entry(1));
    const reopened = new AuditStore(dataSource, KEY, path.join(dir, 'audit-anchor.json'), createLogger('test', 'silent'));
    await reopened.open();
    expect(await reopened.append(entry(2))).toBe(2);
    expect(verifyChain(KEY, await records())).toEqual({ intact: true, records: 2 });
  });
});
