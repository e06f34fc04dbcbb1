import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { graphql } from 'graphql';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import type { AuditEntry } from '../../gateway/audit/audit-record';
import { AuditStore } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { SUBJECT_BUCKET_SIZE } from '../../gateway/audit/subject-key';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import type { GrantStore } from '../../gateway/grants/grant-store';
import { buildStewardSchema } from '../../gateway/steward/steward.schema';
import { waitFor } from '../helpers/wait-for';
import { auditEntry } from './audit-entry';
import type { SharingService } from '../../gateway/sharing/sharing-service';

/** The steward API reads the whole trail for the data authority's stewards. */
const DATA_OFFICE_STEWARD = { identity: { sub: 'steward-1', department: 'data-office', roles: ['steward'] } };

const KEY = Buffer.alloc(32, 5);
const TARGET = 'resident-target';
const entry = (i: number, subjects: string[]): AuditEntry => auditEntry(i, { subjects: subjects.map((id) => ({ type: 'Resident', id })) });

/** A subject's access history across buckets of the subject index, on a real SQLite file. */
describe('a subject’s access history', () => {
  let dir: string;
  let dataSource: DataSource;
  let store: AuditStore;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-history-'));
    const db: DatabaseConfig = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    dataSource = await openDataSource(createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()), db);
    store = new AuditStore(dataSource, KEY, path.join(dir, 'audit-anchor.json'), createLogger('test', 'silent'));
    await store.open();
    // Two and a bit buckets of records; the target is named in the first, second and third.
    const total = 2 * SUBJECT_BUCKET_SIZE + 100;
    const named = new Set([10, SUBJECT_BUCKET_SIZE - 1, SUBJECT_BUCKET_SIZE, SUBJECT_BUCKET_SIZE + 7, total]);
    for (let start = 1; start <= total; start += 500) {
      const seqs = Array.from({ length: Math.min(500, total - start + 1) }, (_, i) => start + i);
      await Promise.all(seqs.map((seq) => store.append(entry(seq, named.has(seq) ? [`other-${seq}`, TARGET] : [`other-${seq}`]))));
    }
  });
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const history = async (id: string) => {
    const schema = buildStewardSchema({
      catalog: new Map(),
      grants: {} as GrantStore,
      audit: store.reader,
      sharing: {} as SharingService,
      chainStatus: () => Promise.reject(new Error('not read here')),
    });
    const result = await graphql({
      schema,
      contextValue: DATA_OFFICE_STEWARD,
      source: 'query ($id: ID!) { accessHistory(subjectType: "Resident", subjectId: $id) { seq requestId } }',
      variableValues: { id },
    });
    expect(result.errors).toBeUndefined();
    return (result.data as { accessHistory: { seq: number; requestId: string }[] }).accessHistory;
  };

  it('finds every record naming the subject, in every bucket, newest first', async () => {
    const found = await history(TARGET);
    expect(found.map((record) => record.seq)).toEqual([
      2 * SUBJECT_BUCKET_SIZE + 100,
      SUBJECT_BUCKET_SIZE + 7,
      SUBJECT_BUCKET_SIZE,
      SUBJECT_BUCKET_SIZE - 1,
      10,
    ]);
    expect(found[0]!.requestId).toBe(`req-${2 * SUBJECT_BUCKET_SIZE + 100}`);
    expect(await history('nobody')).toEqual([]);
  });

  it('holds the full buckets as posting lists and the open one in memory, and verification agrees', async () => {
    await waitFor(() => store.stats().unwrittenIndexBuckets === 0, { what: 'the subject index of full buckets to be written' });
    const closed = await dataSource.query('SELECT bucket, entries FROM audit_subject_bucket ORDER BY bucket');
    // Each record names one resident of its own; two records of each full bucket also name the target.
    expect(closed).toEqual([
      { bucket: 0, entries: SUBJECT_BUCKET_SIZE - 1 + 2 },
      { bucket: 1, entries: SUBJECT_BUCKET_SIZE + 2 },
    ]);
    const lists = await dataSource.query('SELECT DISTINCT bucket FROM audit_subject_posting ORDER BY bucket');
    expect(lists.map((row: { bucket: number }) => row.bucket)).toEqual([0, 1]);
    expect(await verifyAuditTrail(dataSource, KEY, path.join(dir, 'audit-anchor.json'))).toEqual({
      intact: true,
      records: 2 * SUBJECT_BUCKET_SIZE + 100,
    });
  });

  it('finds the same history after a restart, the open bucket rebuilt from the records', async () => {
    await store.drain();
    store = new AuditStore(dataSource, KEY, path.join(dir, 'audit-anchor.json'), createLogger('test', 'silent'));
    await store.open();
    expect((await history(TARGET)).map((record) => record.seq)).toEqual([
      2 * SUBJECT_BUCKET_SIZE + 100,
      SUBJECT_BUCKET_SIZE + 7,
      SUBJECT_BUCKET_SIZE,
      SUBJECT_BUCKET_SIZE - 1,
      10,
    ]);
  });
});
