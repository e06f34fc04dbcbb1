import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import type { AuditEntry, AuditRecord } from '../../gateway/audit/audit-record';
import { readAnchor } from '../../gateway/audit/anchor';
import { AuditStore, AuditUnavailableError } from '../../gateway/audit/audit-store';
import { AUDIT_ROW_COLUMNS, AUDIT_ROWS, fromRow } from '../../gateway/audit/audit-rows';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { SUBJECT_BUCKET_SIZE, subjectKeyer } from '../../gateway/audit/subject-key';
import { readSpool } from '../../gateway/audit/spool';
import { BucketSubjects } from '../../gateway/audit/subject-postings';
import { verifyChain } from '../../gateway/audit/verify-chain';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import { waitFor } from '../helpers/wait-for';
import { auditEntry } from './audit-entry';

const KEY = Buffer.alloc(32, 3);
const entry = (i: number): AuditEntry =>
  auditEntry(i, { at: new Date().toISOString(), sub: 'u', subjects: [{ type: 'Resident', id: `r${i % 7}` }] });

/** The audit store on a real SQLite file. */
describe('the audit store', () => {
  let dir: string;
  let db: DatabaseConfig;
  let dataSource: DataSource;
  let store: AuditStore;
  const anchorFile = () => path.join(dir, 'audit-anchor.json');
  /** Waits until every full bucket of the subject index is in the database. */
  const indexWritten = () =>
    waitFor(() => store.stats().unwrittenIndexBuckets === 0, { what: 'the subject index of full buckets to be written' });
  const records = async (): Promise<AuditRecord[]> =>
    ((await dataSource.query(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} ORDER BY e.seq`)) as Record<string, unknown>[]).map(fromRow);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-audit-'));
    db = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    dataSource = await openDataSource(createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()), db);
    store = new AuditStore(dataSource, KEY, anchorFile(), createLogger('test', 'silent'));
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
    const stats = store.stats();
    expect(stats.commits).toBeLessThan(50);
    expect(stats).toEqual({
      phase: 'idle',
      queued: 0,
      commits: stats.commits,
      records: 1000,
      failedCommits: 0,
      lastCommitMs: expect.any(Number),
      averageCommitMs: expect.any(Number),
      head: 1000,
      unwrittenIndexBuckets: 0,
      // SQLite has no lock of the trail's own: its writes take turns anyway.
      trailLockMs: null,
    });
    await store.drain();
    expect(store.stats().phase).toBe('closed');
    expect(verifyChain(KEY, stored, readAnchor(anchorFile(), KEY))).toEqual({ intact: true, records: 1000 });
  });

  it('refuses a record once drained, naming why, and drains again without harm', async () => {
    await store.append(entry(1));
    await store.drain();
    await expect(store.append(entry(2))).rejects.toThrow('an audit record arrived after the audit queue was drained and closed');
    expect(() => store.appendLater(entry(3))).toThrow('an audit record arrived after the audit queue was drained and closed');
    await store.drain();
    expect((await records()).map((r) => r.seq)).toEqual([1]);
  });

  it('keeps as JSON the subjects packing cannot carry, and finds them by subject all the same', async () => {
    const odd = { type: 'Resident', id: 'r\ud800' };
    await store.append(auditEntry(1, { subjects: [odd, { type: 'Resident', id: 'r1' }] }));
    const [row] = await dataSource.query('SELECT subjects, subject_ids FROM audit_event WHERE seq = 1');
    expect(row).toEqual({
      subjects: JSON.stringify([
        ['Resident', 'r\ud800'],
        ['Resident', 'r1'],
      ]),
      subject_ids: null,
    });
    expect((await records())[0]!.subjects).toEqual([odd, { type: 'Resident', id: 'r1' }]);
    expect(await store.subjectHistory(odd, 10)).toEqual([1]);
    await store.drain();
    expect(await verifyAuditTrail(dataSource, KEY, anchorFile())).toEqual({ intact: true, records: 1 });
    // Again from the rows, as a restarted gateway rebuilds its open bucket.
    const reopened = new AuditStore(dataSource, KEY, anchorFile(), createLogger('test', 'silent'));
    await reopened.open();
    expect(await reopened.subjectHistory(odd, 10)).toEqual([1]);
  });

  it('commits records nobody waits for with the next waiter’s, or on their own within moments', async () => {
    for (let i = 1; i <= 5; i += 1) store.appendLater(entry(i));
    expect(await store.append(entry(6))).toBe(6);
    expect(store.stats()).toMatchObject({ commits: 1, records: 6 });
    store.appendLater(entry(7));
    expect(await records()).toHaveLength(6);
    await waitFor(() => store.stats().records === 7, { what: 'record 7 to be committed on its own' });
    expect((await records()).map((r) => r.requestId)).toEqual(Array.from({ length: 7 }, (_, i) => `req-${i + 1}`));
    expect(store.stats()).toMatchObject({ phase: 'idle', queued: 0, commits: 2, records: 7 });
  });

  /** Record i names resident r(i % 7); the history of r3 is every record i with i % 7 = 3, newest first. */
  const historyOfR3 = (through: number) => Array.from({ length: through }, (_, i) => through - i).filter((seq) => (seq - 1) % 7 === 3);
  const fill = async (count: number) => {
    for (let start = 0; start < count; start += 500)
      await Promise.all(Array.from({ length: Math.min(500, count - start) }, (_, i) => store.append(entry(start + i))));
  };

  it('finds a subject’s records as soon as they are committed, from memory while their bucket is open', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(entry(i))));
    expect(await store.subjectHistory({ type: 'Resident', id: 'r3' }, 500)).toEqual([18, 11, 4]);
    expect(await store.subjectHistory({ type: 'Resident', id: 'r3' }, 2)).toEqual([18, 11]);
    expect(await store.subjectHistory({ type: 'Resident', id: 'nobody' }, 500)).toEqual([]);
    expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM audit_subject_posting'))[0].n)).toBe(0);
    // The open bucket is the gateway's to hold: verification does not count it as behind.
    expect(await verifyAuditTrail(dataSource, KEY, anchorFile())).toEqual({ intact: true, records: 20 });
  });

  it('writes a full bucket as posting lists under keys that hold no raw id, read with one index range per lookup', async () => {
    await fill(SUBJECT_BUCKET_SIZE + 20);
    await indexWritten();
    expect(await dataSource.query('SELECT bucket, entries FROM audit_subject_bucket')).toEqual([
      { bucket: 0, entries: SUBJECT_BUCKET_SIZE - 1 },
    ]);
    const lists: { grp: number; bucket: number; entries: Buffer }[] = await dataSource.query(
      'SELECT grp, bucket, entries FROM audit_subject_posting',
    );
    // Seven residents, seven lists, each naming every record of its resident.
    expect(lists.map((list) => [list.bucket, list.entries.length / 8]).sort()).toEqual(
      Array.from({ length: 7 }, (_, i) => [0, Math.ceil((SUBJECT_BUCKET_SIZE - 1 - i) / 7)]).sort(),
    );
    expect(Buffer.concat(lists.map((list) => list.entries)).includes('r3')).toBe(false);
    expect(await store.subjectHistory({ type: 'Resident', id: 'r3' }, 5000)).toEqual(historyOfR3(SUBJECT_BUCKET_SIZE + 20));
    const plan = await dataSource.query(
      'EXPLAIN QUERY PLAN SELECT bucket, entries FROM audit_subject_posting WHERE grp = ? AND bucket < ? ORDER BY bucket DESC',
      [1, 5],
    );
    expect(JSON.stringify(plan)).toMatch(/SEARCH audit_subject_posting USING PRIMARY KEY \(grp=\? AND bucket<\?\)/);
    expect(JSON.stringify(plan)).not.toMatch(/TEMP B-TREE/);
    expect(await verifyAuditTrail(dataSource, KEY, anchorFile())).toEqual({ intact: true, records: SUBJECT_BUCKET_SIZE + 20 });
  });

  it('rebuilds, when it opens, the open bucket and a full bucket whose lists a crash kept from being written', async () => {
    await fill(SUBJECT_BUCKET_SIZE + 20);
    await store.drain();
    // As after a crash in the middle of writing bucket 0: some lists in, the bucket not closed.
    for (const trigger of ['audit_subject_posting_no_delete', 'audit_subject_bucket_no_delete'])
      await dataSource.query(`DROP TRIGGER ${trigger}`);
    await dataSource.query('DELETE FROM audit_subject_bucket');
    await dataSource.query('DELETE FROM audit_subject_posting WHERE grp > (SELECT MIN(grp) FROM audit_subject_posting)');
    expect(await verifyAuditTrail(dataSource, KEY, anchorFile())).toEqual({
      intact: true,
      records: SUBJECT_BUCKET_SIZE + 20,
      unindexed: SUBJECT_BUCKET_SIZE - 1,
    });
    const reopened = new AuditStore(dataSource, KEY, anchorFile(), createLogger('test', 'silent'));
    await reopened.open();
    expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM audit_subject_posting'))[0].n)).toBe(7);
    expect(await reopened.subjectHistory({ type: 'Resident', id: 'r3' }, 5000)).toEqual(historyOfR3(SUBJECT_BUCKET_SIZE + 20));
    expect(await verifyAuditTrail(dataSource, KEY, anchorFile())).toEqual({ intact: true, records: SUBJECT_BUCKET_SIZE + 20 });
  });

  it('finds a bucket indexed under other keys broken, and rebuilds it from the records once the index is emptied', async () => {
    await fill(SUBJECT_BUCKET_SIZE + 20);
    await store.drain();
    // Bucket 0 as another key function would write it: the same pairs under other keys.
    const other = new BucketSubjects(0);
    for (const record of await records())
      if (record.seq < SUBJECT_BUCKET_SIZE) other.add(record.seq, record.subjects, subjectKeyer(Buffer.alloc(32, 9)));
    for (const trigger of ['audit_subject_posting_no_delete', 'audit_subject_bucket_no_delete'])
      await dataSource.query(`DROP TRIGGER ${trigger}`);
    await dataSource.query('DELETE FROM audit_subject_posting');
    for (const { group, entries } of other.postings())
      await dataSource.query('INSERT INTO audit_subject_posting (grp, bucket, entries) VALUES (?, 0, ?)', [group, entries]);
    expect(await verifyAuditTrail(dataSource, KEY, anchorFile())).toMatchObject({
      intact: false,
      problem: 'edited',
      detail: expect.stringMatching(/^the subject index of record \d+ does not match the record$/),
    });
    expect(await store.subjectHistory({ type: 'Resident', id: 'r3' }, 5000)).toEqual(
      historyOfR3(SUBJECT_BUCKET_SIZE + 20).filter((seq) => seq >= SUBJECT_BUCKET_SIZE),
    );
    // What a migration changing the keys does: the index emptied, for the store to rebuild.
    await dataSource.query('DELETE FROM audit_subject_posting');
    await dataSource.query('DELETE FROM audit_subject_bucket');
    const reopened = new AuditStore(dataSource, KEY, anchorFile(), createLogger('test', 'silent'));
    await reopened.open();
    expect(await reopened.subjectHistory({ type: 'Resident', id: 'r3' }, 5000)).toEqual(historyOfR3(SUBJECT_BUCKET_SIZE + 20));
    expect(await verifyAuditTrail(dataSource, KEY, anchorFile())).toEqual({ intact: true, records: SUBJECT_BUCKET_SIZE + 20 });
  });

  it('refuses to update or delete records or the subject index', async () => {
    await fill(SUBJECT_BUCKET_SIZE);
    await indexWritten();
    for (const statement of [
      "UPDATE audit_event SET purpose = 'statistics'",
      'DELETE FROM audit_event',
      'DELETE FROM audit_subject_posting',
      'UPDATE audit_subject_posting SET bucket = 1',
      'DELETE FROM audit_subject_bucket',
      'UPDATE audit_subject_bucket SET entries = 0',
    ]) {
      await expect(dataSource.query(statement)).rejects.toThrow(/append-only/);
    }
    expect(await records()).toHaveLength(SUBJECT_BUCKET_SIZE);
    expect(await store.subjectHistory({ type: 'Resident', id: 'r3' }, 5000)).toEqual(historyOfR3(SUBJECT_BUCKET_SIZE));
  });

  it('tells the waiter when it cannot commit, keeps the record, and writes it once the store recovers', async () => {
    await store.append(entry(1));
    const connection = (dataSource.driver as unknown as { databaseConnection: { pragma(sql: string): unknown } }).databaseConnection;
    connection.pragma('query_only = ON');
    await expect(store.append(entry(2))).rejects.toBeInstanceOf(AuditUnavailableError);
    await waitFor(() => store.stats().phase === 'retrying', { what: 'the queue to wait before trying again' });
    expect(store.healthy).toBe(false);
    // The waiter records what it did instead (it withheld its response).
    store.appendLater({ ...entry(2), outcome: 'error', status: 503 });
    store.appendLater(entry(3));
    expect(store.stats()).toMatchObject({ phase: 'retrying', queued: 2, records: 1, failedCommits: 1, head: 1 });
    connection.pragma('query_only = OFF');
    await store.drain();
    expect(store.healthy).toBe(true);
    expect(store.stats()).toMatchObject({ phase: 'closed', queued: 0, records: 3, head: 3 });
    const stored = await records();
    expect(stored.map((r) => [r.requestId, r.status])).toEqual([
      ['req-1', 200],
      ['req-2', 503],
      ['req-3', 200],
    ]);
    expect(verifyChain(KEY, stored, readAnchor(anchorFile(), KEY))).toEqual({ intact: true, records: 3 });
  });

  it('refuses to continue a chain whose anchored tail was cut off while it was down', async () => {
    for (let i = 1; i <= 3; i += 1) await store.append(entry(i));
    await store.drain();
    await dataSource.query('DROP TRIGGER audit_event_no_delete');
    await dataSource.query('DELETE FROM audit_event WHERE seq = 3');
    const reopened = new AuditStore(dataSource, KEY, anchorFile(), createLogger('test', 'silent'));
    await expect(reopened.open()).rejects.toThrow('the audit trail no longer reaches its anchored record 3');
  });

  it('stops trying at its deadline while the store is down, and spools the records, with no timer left running', async () => {
    const connection = (dataSource.driver as unknown as { databaseConnection: { pragma(sql: string): unknown } }).databaseConnection;
    connection.pragma('query_only = ON');
    store.appendLater(entry(1));
    const started = Date.now();
    await store.drain(started + 700);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(store.stats()).toMatchObject({ phase: 'closed', queued: 0, records: 0 });
    expect(store.stats().failedCommits).toBeGreaterThan(0);
    expect(store.healthy).toBe(false);
    expect(readSpool(path.join(dir, 'audit-spool.jsonl'), KEY)).toMatchObject({ base: { seq: 0 }, entries: [{ requestId: 'req-1' }] });
    connection.pragma('query_only = OFF');
  });

  it('continues the chain after a restart', async () => {
    await store.append(entry(1));
    const reopened = new AuditStore(dataSource, KEY, anchorFile(), createLogger('test', 'silent'));
    await reopened.open();
    expect(await reopened.append(entry(2))).toBe(2);
    expect(verifyChain(KEY, await records())).toEqual({ intact: true, records: 2 });
  });
});
