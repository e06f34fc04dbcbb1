import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import { readAnchor } from '../../gateway/audit/anchor';
import type { AuditEntry } from '../../gateway/audit/audit-record';
import { AuditStore } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { readSpool, SpoolError } from '../../gateway/audit/spool';
import { TrailStorage } from '../../gateway/audit/trail-storage';
import { reportVerdict, verifyAuditTrail } from '../../gateway/audit/verify-store';
import { auditEntry } from './audit-entry';

const KEY = Buffer.alloc(32, 5);
const entry = (i: number): AuditEntry => auditEntry(i, { at: new Date(Date.UTC(2026, 11, 5, 9, 0, 0, i)).toISOString() });

/**
 * The spool on a real SQLite file: records the store could not commit by
 * the shutdown deadline, kept in a sealed file and replayed by the next
 * store to open, before any new record. The store is made unwritable the
 * way the readiness tests do it, with SQLite's own query_only.
 */
describe('the audit spool', () => {
  let dir: string;
  let dataSource: DataSource;
  const anchorFile = () => path.join(dir, 'audit-anchor.json');
  const spoolFile = () => path.join(dir, 'audit-spool.jsonl');
  const newStore = () => new AuditStore(dataSource, KEY, anchorFile(), createLogger('test', 'silent'), spoolFile());
  const writable = (on: boolean) =>
    (dataSource.driver as unknown as { databaseConnection: { pragma(sql: string): unknown } }).databaseConnection.pragma(
      `query_only = ${on ? 'OFF' : 'ON'}`,
    );
  const requestIds = async () => {
    const ids: string[] = [];
    for await (const record of new TrailStorage(dataSource).records()) if (!(record instanceof Error)) ids.push(record.requestId);
    return ids;
  };
  const verdict = () => verifyAuditTrail(dataSource, KEY, anchorFile(), spoolFile());

  /** A store that committed `committed` records, then could not commit `spooled` more before its deadline. */
  const shutDownWithSpool = async (committed: number, spooled: number) => {
    const store = newStore();
    await store.open();
    for (let i = 1; i <= committed; i += 1) await store.append(entry(i));
    writable(false);
    for (let i = committed + 1; i <= committed + spooled; i += 1) store.appendLater(entry(i));
    await store.drain(Date.now() + 300);
    writable(true);
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-spool-'));
    const db: DatabaseConfig = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    dataSource = await openDataSource(createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()), db);
  });
  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds what the store could not commit, sealed, named by the anchor, and reported by audit:verify as not in the chain', async () => {
    await shutDownWithSpool(3, 4);
    expect(statSync(spoolFile()).mode & 0o777).toBe(0o600);
    const spool = readSpool(spoolFile(), KEY)!;
    expect(spool.base.seq).toBe(3);
    expect(spool.entries.map((e) => e.requestId)).toEqual(['req-4', 'req-5', 'req-6', 'req-7']);
    expect(readAnchor(anchorFile(), KEY)).toEqual({ seq: 3, hash: spool.base.hash, spool: { entries: 4, mac: spool.mac } });
    const found = await verdict();
    expect(found).toEqual({ intact: true, records: 3, spooled: 4 });
    expect(reportVerdict(found, spoolFile())).toEqual({
      text: `audit trail not complete: 3 records intact, and 4 more waiting in the spool ${spoolFile()}, not yet in the chain (the gateway replays them when it next starts)`,
      code: 3,
    });
  });

  it('is replayed by the next start, in order and before any new record, then removed', async () => {
    await shutDownWithSpool(3, 4);
    const store = newStore();
    await store.open();
    expect(existsSync(spoolFile())).toBe(false);
    expect(await store.append(entry(8))).toBe(8);
    expect(await requestIds()).toEqual(Array.from({ length: 8 }, (_, i) => `req-${i + 1}`));
    await store.drain();
    expect(await verdict()).toEqual({ intact: true, records: 8 });
    expect(readAnchor(anchorFile(), KEY)).toEqual({ seq: 8, hash: expect.any(String) });
  });

  it('is replayed when the trail had no record at all yet', async () => {
    await shutDownWithSpool(0, 2);
    expect(readAnchor(anchorFile(), KEY)).toMatchObject({ seq: 0, spool: { entries: 2 } });
    expect(await verdict()).toEqual({ intact: true, records: 0, spooled: 2 });
    await newStore().open();
    expect(await requestIds()).toEqual(['req-1', 'req-2']);
    expect(await verdict()).toEqual({ intact: true, records: 2 });
  });

  it.each<[string, (text: string) => string, string]>([
    ['an edited entry', (text) => text.replace('"status":200', '"status":403'), 'edited'],
    ['an entry removed', (text) => text.replace(/\n[^\n]*req-5[^\n]*\n/, '\n'), 'edited'],
    ['two entries swapped', (text) => text.replace('req-4', 'req-X').replace('req-5', 'req-4').replace('req-X', 'req-5'), 'edited'],
    ['its seal cut off', (text) => text.slice(0, text.lastIndexOf('{"mac"')), 'truncated'],
    ['a cut in the middle of an entry', (text) => text.slice(0, text.indexOf('req-6')), 'truncated'],
  ])('with %s is refused at start and reported, and nothing of it is replayed', async (_case, tamper, fault) => {
    await shutDownWithSpool(3, 4);
    writeFileSync(spoolFile(), tamper(readFileSync(spoolFile(), 'utf8')));
    await expect(newStore().open()).rejects.toMatchObject({ constructor: SpoolError, fault });
    expect(await verdict()).toMatchObject({ intact: false, spool: fault });
    expect(reportVerdict(await verdict(), spoolFile())).toMatchObject({
      text: expect.stringMatching(`^audit spool BROKEN \\(${fault}\\)`),
      code: 1,
    });
    expect(await requestIds()).toEqual(['req-1', 'req-2', 'req-3']);
    expect(existsSync(spoolFile())).toBe(true);
  });

  it('that was deleted is reported, since the anchor names it', async () => {
    await shutDownWithSpool(3, 4);
    unlinkSync(spoolFile());
    await expect(newStore().open()).rejects.toThrow(/audit-spool.jsonl is missing, though the anchor names it \(4 records\)/);
    expect(await verdict()).toMatchObject({ intact: false, spool: 'missing' });
  });

  it('is not appended twice when a start committed it but stopped before removing it, nor when it is put back once the trail moved on', async () => {
    await shutDownWithSpool(3, 4);
    // As after a crash right after the replay's commit: the spool and the anchor naming it are both still there.
    copyFileSync(spoolFile(), path.join(dir, 'spool.copy'));
    copyFileSync(anchorFile(), path.join(dir, 'anchor.copy'));
    await newStore().open();
    copyFileSync(path.join(dir, 'spool.copy'), spoolFile());
    copyFileSync(path.join(dir, 'anchor.copy'), anchorFile());
    const found = await verdict();
    expect(found).toEqual({ intact: true, records: 7, spooled: 0 });
    expect(reportVerdict(found, spoolFile()).code).toBe(0);
    const store = newStore();
    await store.open();
    expect(existsSync(spoolFile())).toBe(false);
    expect(await requestIds()).toEqual(Array.from({ length: 7 }, (_, i) => `req-${i + 1}`));
    await store.append(entry(8));
    await store.drain();
    expect(await verdict()).toEqual({ intact: true, records: 8 });
    // The same spool put back later: every entry is found in the trail, at its own number, so nothing is replayed again.
    copyFileSync(path.join(dir, 'spool.copy'), spoolFile());
    expect(await verdict()).toEqual({ intact: true, records: 8, spooled: 0 });
    await newStore().open();
    expect(existsSync(spoolFile())).toBe(false);
    expect(await requestIds()).toEqual(Array.from({ length: 8 }, (_, i) => `req-${i + 1}`));
  });

  it('from another trail is refused: its base is not a record of this trail', async () => {
    await shutDownWithSpool(3, 4);
    copyFileSync(spoolFile(), path.join(dir, 'spool.copy'));
    // Another trail whose record 3 is not this one's, and the spool put back there.
    const db: DatabaseConfig = { kind: 'sqlite', path: path.join(dir, 'other.sqlite') };
    const elsewhere = await openDataSource(
      createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()),
      db,
    );
    const otherStore = () =>
      new AuditStore(elsewhere, KEY, path.join(dir, 'x-anchor.json'), createLogger('test', 'silent'), path.join(dir, 'x-spool.jsonl'));
    try {
      const store = otherStore();
      await store.open();
      for (const i of [11, 12, 13]) await store.append(entry(i));
      await store.drain();
      copyFileSync(path.join(dir, 'spool.copy'), path.join(dir, 'x-spool.jsonl'));
      await expect(otherStore().open()).rejects.toMatchObject({ fault: 'unrelated' });
      expect(await verifyAuditTrail(elsewhere, KEY, path.join(dir, 'x-anchor.json'), path.join(dir, 'x-spool.jsonl'))).toMatchObject({
        intact: false,
        spool: 'unrelated',
      });
    } finally {
      await elsewhere.destroy();
    }
  });

  it("finds its entries among another replica's records: only those the trail lacks are replayed, each once", async () => {
    await shutDownWithSpool(3, 4);
    // Replica B, with its own anchor and spool, writes on while A is down; and the commit A was unsure of at its
    // deadline (req-4 and req-5) did go through after all.
    const other = new AuditStore(
      dataSource,
      KEY,
      path.join(dir, 'b-anchor.json'),
      createLogger('test', 'silent'),
      path.join(dir, 'b-spool.jsonl'),
    );
    await other.open();
    await other.append(auditEntry(101, { at: entry(101).at }));
    await other.append(entry(4));
    await other.append(entry(5));
    await other.append(auditEntry(102, { at: entry(102).at }));
    expect(await verdict()).toEqual({ intact: true, records: 7, spooled: 2 });
    const store = newStore();
    await store.open();
    expect(existsSync(spoolFile())).toBe(false);
    expect(await requestIds()).toEqual(['req-1', 'req-2', 'req-3', 'req-101', 'req-4', 'req-5', 'req-102', 'req-6', 'req-7']);
    await store.append(entry(8));
    await Promise.all([store.drain(), other.drain()]);
    expect(await verdict()).toEqual({ intact: true, records: 10 });
  });
});
