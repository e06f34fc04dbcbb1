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
import { AuditStore } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
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
    for (const trigger of ['audit_event_no_update', 'audit_event_no_delete', 'audit_subject_key_no_update', 'audit_subject_key_no_delete']) await dataSource.query(`DROP TRIGGER ${trigger}`);
  };
  const verdict = () => verifyAuditTrail(dataSource, key, anchor());

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-verify-'));
    db = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    key = loadSecret('AUDIT_CHAIN_KEY', undefined, path.join(dir, 'keys', 'audit-chain.key'));
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
    ['an edited subject list', [`UPDATE audit_event SET subjects = '[]' WHERE seq = 3`], 3, 'edited'],
    ['a deleted record', ['DELETE FROM audit_event WHERE seq = 4'], 4, 'missing'],
    [
      'two swapped records',
      ['UPDATE audit_event SET seq = -7 WHERE seq = 7', 'UPDATE audit_event SET seq = 7 WHERE seq = 8', 'UPDATE audit_event SET seq = 8 WHERE seq = -7'],
      7,
      'reordered',
    ],
    ['a truncated tail', ['DELETE FROM audit_event WHERE seq > 8'], 9, 'truncated'],
  ])('names the first broken record after %s', async (_case, statements, seq, problem) => {
    await unlock();
    for (const statement of statements) await dataSource.query(statement);
    expect(await verdict()).toMatchObject({ intact: false, seq, problem });
  });

  it.each([
    ['a subject added to the index', 'INSERT INTO audit_subject_key (bucket, subject_key, seq) VALUES (0, 42, 5)'],
    ['a subject removed from the index', 'DELETE FROM audit_subject_key WHERE seq = 5'],
    ['a record filed under another bucket of the index, where no lookup finds it', 'UPDATE audit_subject_key SET bucket = 1 WHERE seq = 5'],
  ])('detects %s', async (_case, statement) => {
    await unlock();
    await dataSource.query(statement);
    expect(await verdict()).toMatchObject({ intact: false, seq: 5, problem: 'edited' });
  });

  it('detects a chain rebuilt without the key', async () => {
    await unlock();
    await dataSource.query('DELETE FROM audit_event');
    let prev = GENESIS_HASH;
    for (let i = 1; i <= 10; i += 1) {
      const forged = sealRecord(Buffer.alloc(32, 1), i, prev, { ...entry(i), purpose: 'supervision' });
      prev = forged.hash;
      await dataSource.query(
        `INSERT INTO audit_event (seq, at, request_id, sub, department, roles, purpose, client_name, client_version, operation_type, operation_name, document_hash, decisions, subjects, outcome, status, duration_ms, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
        [i, forged.at, forged.requestId, forged.sub, forged.department, JSON.stringify(forged.roles), forged.purpose, forged.operationType, forged.operationName, JSON.stringify(forged.decisions), JSON.stringify(forged.subjects), forged.outcome, forged.status, forged.durationMs, forged.prevHash, forged.hash],
      );
    }
    expect(await verdict()).toMatchObject({ intact: false, seq: 1, problem: 'edited' });
  });

  it('exits 0 when intact and 1, naming the record, when not', async () => {
    const run = () => spawnSync('npm', ['run', '-s', 'audit:verify'], { cwd: projectRoot(), env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
    const intact = run();
    expect(intact.status).toBe(0);
    expect(intact.stdout).toBe('audit trail intact: 10 records\n');
    await unlock();
    await dataSource.query('DELETE FROM audit_event WHERE seq = 2');
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^audit trail BROKEN at record 2 \(missing\)/);
  }, 120_000);
});
