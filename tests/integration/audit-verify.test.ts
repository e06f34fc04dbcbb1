import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { loadSecret } from '../../common/key-files';
import { createLogger } from '../../common/logger';
import { projectRoot } from '../../common/project-root';
import { GENESIS_HASH, sealRecord, type AuditEntry } from '../../gateway/audit/audit-record';
import { AUDIT_COLUMNS, toRow } from '../../gateway/audit/audit-rows';
import { AuditStore } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { writeSpool } from '../../gateway/audit/spool';
import { SUBJECT_BUCKET_SIZE, subjectKeyer } from '../../gateway/audit/subject-key';
import { entriesOf, offsetOfEntry, postingGroup } from '../../gateway/audit/subject-postings';
import { TrailStorage } from '../../gateway/audit/trail-storage';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import { auditEntry } from './audit-entry';

const entry = (i: number): AuditEntry =>
  auditEntry(i, {
    at: new Date(Date.UTC(2026, 10, 22, 8, 0, i)).toISOString(),
    operationName: 'Cell',
    decisions: [{ coordinate: 'Resident.name', decision: 'allow', grant: 'G1' }],
    durationMs: 3,
  });

/**
 * Tampering as someone with the database file but not the key would: the
 * append-only triggers are dropped first, then rows edited, deleted,
 * swapped, cut off, or the whole chain rebuilt under another key.
 */
describe('npm run audit:verify on a real store', () => {
  let dir: string;
  let db: DatabaseConfig;
  let dataSource: DataSource;
  let key: Buffer;
  const anchor = () => path.join(dir, 'audit-anchor.json');
  const unlock = async () => {
    for (const table of ['audit_event', 'audit_decision_list', 'audit_subject_posting', 'audit_subject_bucket']) {
      for (const trigger of ['no_update', 'no_delete']) await dataSource.query(`DROP TRIGGER ${table}_${trigger}`);
    }
  };
  const verdict = () => verifyAuditTrail(dataSource, key, anchor());

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-verify-'));
    db = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    key = loadSecret('AUDIT_CHAIN_KEY', undefined, path.join(dir, 'keys', 'gateway', 'audit-chain.key'));
    dataSource = await openDataSource(createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()), db);
    const store = new AuditStore(dataSource, key, anchor(), createLogger('test', 'silent'));
    await store.open();
    for (let i = 1; i <= 10; i += 1) await store.append(entry(i));
    await store.drain();
  });
  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds an untouched trail intact', async () => {
    expect(await verdict()).toEqual({ intact: true, records: 10 });
  });

  it.each<[string, string[], number, string]>([
    ['an edited field', [`UPDATE audit_event SET purpose = 'statistics' WHERE seq = 6`], 6, 'edited'],
    ['an edited subject list', [`UPDATE audit_event SET subject_ids = X'01' WHERE seq = 3`], 3, 'edited'],
    [
      'subjects put back as JSON, another one',
      [`UPDATE audit_event SET subject_ids = NULL, subjects = '[["Resident","r9"]]' WHERE seq = 3`],
      3,
      'edited',
    ],
    ['packed subjects of an unknown format', [`UPDATE audit_event SET subject_ids = X'02' WHERE seq = 5`], 5, 'edited'],
    [
      'packed subjects cut short',
      [`UPDATE audit_event SET subject_ids = substr(subject_ids, 1, length(subject_ids) - 1) WHERE seq = 5`],
      5,
      'edited',
    ],
    ['an edited decision list (every record names the same one)', [`UPDATE audit_decision_list SET decisions = '[]'`], 1, 'edited'],
    ['a deleted decision list', ['DELETE FROM audit_decision_list'], 1, 'edited'],
    [
      'a row naming a decision list that is not there',
      [`UPDATE audit_event SET decisions_ref = '${'0'.repeat(32)}' WHERE seq = 4`],
      4,
      'edited',
    ],
    ['roles that are not JSON', [`UPDATE audit_event SET roles = '[' WHERE seq = 2`], 2, 'edited'],
    [
      'subjects as JSON that is not a list of pairs',
      [`UPDATE audit_event SET subject_ids = NULL, subjects = '{}' WHERE seq = 3`],
      3,
      'edited',
    ],
    [
      'a row naming another decision list',
      [
        `INSERT INTO audit_decision_list (ref, decisions) VALUES ('${'f'.repeat(32)}', '[["Resident.name","deny",null]]')`,
        `UPDATE audit_event SET decisions_ref = '${'f'.repeat(32)}' WHERE seq = 4`,
      ],
      4,
      'edited',
    ],
    ['a deleted record', ['DELETE FROM audit_event WHERE seq = 4'], 4, 'missing'],
    [
      'two swapped records',
      [
        'UPDATE audit_event SET seq = -7 WHERE seq = 7',
        'UPDATE audit_event SET seq = 7 WHERE seq = 8',
        'UPDATE audit_event SET seq = 8 WHERE seq = -7',
      ],
      7,
      'reordered',
    ],
    ['a truncated tail', ['DELETE FROM audit_event WHERE seq > 8'], 9, 'truncated'],
  ])('names the first broken record after %s', async (_case, statements, seq, problem) => {
    await unlock();
    for (const statement of statements) await dataSource.query(statement);
    expect(await verdict()).toMatchObject({ intact: false, seq, problem });
  });

  describe('with a full bucket in the subject index', () => {
    const TOTAL = SUBJECT_BUCKET_SIZE + 4;
    /** Record 5's posting list (it names resident r5): its group and (key, record) pairs. */
    const listOfR5 = async () => {
      const group = postingGroup(subjectKeyer(key)({ type: 'Resident', id: 'r5' }));
      const [row] = await dataSource.query('SELECT entries FROM audit_subject_posting WHERE grp = ? AND bucket = 0', [group]);
      return { group, entries: entriesOf(row.entries) };
    };
    const encode = (entries: number[]) =>
      Buffer.concat([...entries].sort((a, b) => a - b).map((entry) => Buffer.from(entry.toString(16).padStart(16, '0'), 'hex')));
    const rewrite = async (group: number, entries: number[]) => {
      await dataSource.query('UPDATE audit_subject_posting SET entries = ? WHERE grp = ? AND bucket = 0', [encode(entries), group]);
    };

    beforeEach(async () => {
      const store = new AuditStore(dataSource, key, anchor(), createLogger('test', 'silent'));
      await store.open();
      for (let start = 11; start <= TOTAL; start += 500)
        await Promise.all(Array.from({ length: Math.min(500, TOTAL - start + 1) }, (_, i) => store.append(entry(start + i))));
      await store.drain();
      expect(await verdict()).toEqual({ intact: true, records: TOTAL });
    });

    it('detects a record added to a subject’s list', async () => {
      const { group, entries } = await listOfR5();
      const r5 = entries.find((entry) => offsetOfEntry(entry) === 5)!;
      await unlock();
      await rewrite(group, [...entries, r5 + 1]);
      expect(await verdict()).toMatchObject({
        intact: false,
        seq: 6,
        problem: 'edited',
        detail: 'the subject index of record 6 does not match the record',
      });
    });

    it('detects a record removed from a subject’s list', async () => {
      const { group, entries } = await listOfR5();
      await unlock();
      await rewrite(
        group,
        entries.filter((entry) => offsetOfEntry(entry) !== 5),
      );
      expect(await verdict()).toMatchObject({ intact: false, seq: 5, problem: 'edited' });
    });

    it('detects a list moved to another bucket, where no lookup finds it', async () => {
      const { group, entries } = await listOfR5();
      await unlock();
      await dataSource.query('UPDATE audit_subject_posting SET bucket = 1 WHERE grp = ? AND bucket = 0', [group]);
      expect(await verdict()).toMatchObject({ intact: false, seq: Math.min(...entries.map(offsetOfEntry)), problem: 'edited' });
    });

    it('detects a list naming a record the chain does not hold, and a bucket closed before it is full', async () => {
      await dataSource.query("INSERT INTO audit_subject_posting (grp, bucket, entries) VALUES (0, 9, X'0000000000000001')");
      expect(await verdict()).toMatchObject({ intact: false, seq: 9 * SUBJECT_BUCKET_SIZE + 1, problem: 'edited' });
      await unlock();
      await dataSource.query('DELETE FROM audit_subject_posting WHERE bucket = 9');
      await dataSource.query('INSERT INTO audit_subject_bucket (bucket, entries) VALUES (1, 0)');
      expect(await verdict()).toMatchObject({
        intact: false,
        problem: 'edited',
        detail: 'the subject index holds bucket 1 as closed, but the chain has not filled it',
      });
    });
  });

  it('detects a chain rebuilt without the key', async () => {
    await unlock();
    await dataSource.query('DELETE FROM audit_event');
    let prev = GENESIS_HASH;
    for (let i = 1; i <= 10; i += 1) {
      const forged = sealRecord(Buffer.alloc(32, 1), i, prev, { ...entry(i), purpose: 'supervision' });
      prev = forged.hash;
      await dataSource.query(
        `INSERT INTO audit_event (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
        toRow(forged),
      );
    }
    expect(await verdict()).toMatchObject({ intact: false, seq: 1, problem: 'edited' });
  });

  it('exits 0 when intact, 3 while records wait in the spool, and 1, naming the record, when broken', async () => {
    const run = () =>
      spawnSync('npm', ['run', '-s', 'audit:verify'], { cwd: projectRoot(), env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
    const intact = run();
    expect(intact.status).toBe(0);
    expect(intact.stdout).toBe('audit trail intact: 10 records\nsharing history agrees with the audit trail: 0 steps\n');
    // Each run is kept for the console's chain status.
    const lastRun = async () => (await dataSource.query('SELECT intact, records, detail FROM audit_verification'))[0];
    expect(await lastRun()).toEqual({ intact: 1, records: 10, detail: null });
    const spool = path.join(dir, 'audit-spool.jsonl');
    writeSpool(spool, key, await new TrailStorage(dataSource).head(), [entry(11), entry(12)]);
    const waiting = run();
    expect(waiting.status).toBe(3);
    expect(waiting.stdout).toBe(
      `audit trail not complete: 10 records intact, and 2 more waiting in the spool ${spool}, not yet in the chain (the gateway replays them when it next starts)\n`,
    );
    rmSync(spool);
    await unlock();
    await dataSource.query('DELETE FROM audit_event WHERE seq = 2');
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^audit trail BROKEN at record 2 \(missing\)/);
    expect(await lastRun()).toMatchObject({ intact: 0, detail: expect.stringMatching(/^audit trail BROKEN at record 2/) });
  }, 120_000);
});
