import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BACKSTOP_CHECKPOINT_PAGES, startCheckpointer } from '../../common/database/checkpointer';
import { createLogger } from '../../common/logger';
import { waitFor } from '../helpers/wait-for';

/** The write-ahead log copied into a real SQLite file by another thread, while the writer only appends. */
describe('the SQLite checkpointer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-checkpoint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const writeMegabytes = (db: Database.Database, megabytes: number) => {
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const page = 'x'.repeat(1000);
    for (let i = 0; i < megabytes * 1000; i += 1) insert.run(page);
  };

  it('moves the log into the database file off the writer’s thread, and stops when asked', async () => {
    const file = path.join(dir, 'db.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    writeMegabytes(db, 4);
    // The writer alone leaves everything in the log: the file holds little more than the schema.
    expect(statSync(file).size).toBeLessThan(100_000);
    const checkpointer = startCheckpointer(file, createLogger('test', 'silent'), 20);
    await waitFor(() => statSync(file).size > 4_000_000, { what: 'the log to be copied into the database file', intervalMs: 20 });
    // New commits go on meanwhile, and are read back whole.
    writeMegabytes(db, 1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 5000 });
    await checkpointer.stop();
    db.close();
  });
});
