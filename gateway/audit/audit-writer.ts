import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { PoolClient, QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import { decisionListRef, GENESIS_HASH, storedDecisions, type AuditRecord, type ChainHead } from './audit-record';
import { AUDIT_COLUMNS, toRow } from './audit-rows';
import type { Posting } from './subject-postings';

/**
 * Writing the trail's rows, on the hot path: SQLite through statements
 * prepared once, PostgreSQL through one INSERT of unnested arrays; each decision list
 * written once per process.
 *
 * Any number of gateway processes may append to one trail (replicas on one
 * PostgreSQL database; on SQLite, one process is the rule, but a second is
 * kept from breaking the chain all the same). So the head a group continues
 * is read inside the transaction that writes the group, after taking the
 * trail's write lock, never taken from memory: records are numbered and
 * chained at commit, and two writers cannot both continue one head. Writers
 * take turns for one short transaction per group; everything that does not
 * depend on the head is done before the turn (docs/performance.md has what
 * the turns cost).
 */

/** Seals the records continuing a head; called inside the write transaction, once the head is known. */
export type Seal = (head: ChainHead) => AuditRecord[];

/** Writes sealed records, one commit group per transaction, and (separately) the subject index of full buckets. */
export interface AuditWriter {
  /** Reads the head under the trail's write lock, seals the group after it and writes it, in one transaction; resolves with the records. */
  append(seal: Seal): Promise<AuditRecord[]>;
  /** Posting lists of a bucket, in one transaction; lists already there are left as they are. */
  writePostings(bucket: number, postings: readonly Posting[]): Promise<void>;
  /** Marks a bucket's index complete, once all its posting lists are written. */
  closeBucket(bucket: number, entries: number): Promise<void>;
  /**
   * From now on a write waits at most `ms` for a lock another connection
   * holds. SQLite only: there the wait blocks the event loop (better-sqlite3
   * is synchronous), 5 s by default, and at shutdown it must fit the
   * deadline. A PostgreSQL commit does not block the loop; the drain stops
   * waiting for it at its deadline instead.
   */
  limitLockWait?(ms: number): void;
  /** How long this writer has held the trail's write lock in all, ms (PostgreSQL; for measuring whether the lock limits the trail). */
  readonly lockHeldMs?: number;
}

const COLUMNS = AUDIT_COLUMNS.join(', ');
const COLUMN_COUNT = AUDIT_COLUMNS.length;
/**
 * PostgreSQL: a group's rows go in as one array per column, unnested into
 * rows by one statement: 24 parameters whatever the group's size, where a
 * multi-row VALUES list binds 24 per record, and the binding is done while
 * the trail's lock is held.
 */
const ARRAY_TYPES: Record<(typeof AUDIT_COLUMNS)[number], string> = {
  seq: 'integer',
  at: 'text',
  request_id: 'text',
  sub: 'text',
  department: 'text',
  roles: 'text',
  purpose: 'text',
  client_name: 'text',
  client_version: 'text',
  operation_type: 'text',
  operation_name: 'text',
  document_hash: 'text',
  decisions_ref: 'text',
  subject_ids: 'bytea',
  subjects: 'text',
  outcome: 'text',
  status: 'integer',
  duration_ms: 'integer',
  client_request_id: 'text',
  address: 'text',
  request_count: 'integer',
  steps: 'text',
  prev_hash: 'text',
  hash: 'text',
};
const INSERT_EVENTS = `INSERT INTO audit_event (${COLUMNS}) SELECT * FROM unnest(${AUDIT_COLUMNS.map(
  (column, i) => `$${i + 1}::${ARRAY_TYPES[column]}[]`,
).join(', ')})`;

/** The newest record: the head the next group continues. */
const HEAD = 'SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1';
type HeadRow = { seq: number | string; hash: string };
const headOf = (row: HeadRow | undefined): ChainHead =>
  row ? { seq: Number(row.seq), hash: String(row.hash) } : { seq: 0, hash: GENESIS_HASH };

/** The advisory lock key of the trail's write lock on PostgreSQL: "govgraph audit trail", 63 bits of its SHA-256. */
export const TRAIL_LOCK = '3780703843314355447';

const INSERT_DECISION_LIST = 'INSERT INTO audit_decision_list (ref, decisions) VALUES';
/** Decision lists this process has written; a few hundred (operations times caller classes), bounded all the same. */
const LISTED_LIMIT = 10_000;

/** The decision lists of some records not yet known to be written, by reference. */
class DecisionLists {
  private readonly listed = new Set<string>();

  unlisted(records: readonly AuditRecord[]): Map<string, string> {
    const lists = new Map<string, string>();
    for (const { decisions } of records) {
      const ref = decisionListRef(decisions);
      if (!this.listed.has(ref)) lists.set(ref, storedDecisions(decisions));
    }
    return lists;
  }

  /** Once they are committed. */
  written(lists: Map<string, string>): void {
    if (this.listed.size + lists.size > LISTED_LIMIT) this.listed.clear();
    for (const ref of lists.keys()) this.listed.add(ref);
  }
}

/** The two tables of the subject index, as written by both drivers. */
const INSERT_POSTING = 'INSERT INTO audit_subject_posting (grp, bucket, entries) VALUES';
const INSERT_BUCKET = 'INSERT INTO audit_subject_bucket (bucket, entries) VALUES';

type SqliteStatements = {
  appendAll: Transaction<(seal: Seal) => { records: AuditRecord[]; lists: Map<string, string> }>;
  postingsAll: Transaction<(bucket: number, postings: readonly Posting[]) => void>;
  close: Statement;
};

/** SQLite: statements prepared once and run inside one transaction. */
class SqliteAuditWriter implements AuditWriter {
  private statements: SqliteStatements | undefined;
  private readonly lists = new DecisionLists();

  constructor(private readonly db: Database) {}

  private prepare(): SqliteStatements {
    const event: Statement = this.db.prepare(`INSERT INTO audit_event (${COLUMNS}) VALUES (${Array(COLUMN_COUNT).fill('?').join(', ')})`);
    const list: Statement = this.db.prepare(`${INSERT_DECISION_LIST} (?, ?) ON CONFLICT DO NOTHING`);
    const posting: Statement = this.db.prepare(`${INSERT_POSTING} (?, ?, ?) ON CONFLICT DO NOTHING`);
    const head: Statement = this.db.prepare(HEAD);
    return {
      appendAll: this.db.transaction((seal: Seal) => {
        const records = seal(headOf(head.get() as HeadRow | undefined));
        const lists = this.lists.unlisted(records);
        for (const [ref, decisions] of lists) list.run(ref, decisions);
        for (const record of records) event.run(toRow(record));
        return { records, lists };
      }),
      postingsAll: this.db.transaction((bucket: number, postings: readonly Posting[]) => {
        for (const { group, entries } of postings) posting.run(group, bucket, entries);
      }),
      close: this.db.prepare(`${INSERT_BUCKET} (?, ?) ON CONFLICT DO NOTHING`),
    };
  }

  private ready(): SqliteStatements {
    // Synchronous, so nothing else runs on this connection meanwhile; but it must not end up
    // nested in a transaction someone else left open on it.
    if (this.db.inTransaction) throw new Error('the audit database connection is inside another transaction');
    return (this.statements ??= this.prepare());
  }

  /** BEGIN IMMEDIATE: the write lock is taken before the head is read, so another process's commit cannot come in between. */
  async append(seal: Seal): Promise<AuditRecord[]> {
    const { records, lists } = this.ready().appendAll.immediate(seal);
    this.lists.written(lists);
    return records;
  }

  async writePostings(bucket: number, postings: readonly Posting[]): Promise<void> {
    this.ready().postingsAll(bucket, postings);
  }

  async closeBucket(bucket: number, entries: number): Promise<void> {
    this.ready().close.run(bucket, entries);
  }

  limitLockWait(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(ms))}`);
  }
}

/**
 * PostgreSQL: one transaction per group on a connection of its own. A
 * transaction-level advisory lock is the trail's write lock: held from
 * before the head is read until the commit (so a group is visible to the
 * next writer only once it is on disk), released by the commit or
 * rollback, or by the connection's end if the process dies; never left
 * behind. Waiting for it is queueing, not failing: no group is refused for
 * another writer's turn. The transaction is READ COMMITTED whatever the
 * server's default, so that the head is read with a snapshot taken after
 * the lock was granted.
 */
class TypeOrmAuditWriter implements AuditWriter {
  private readonly lists = new DecisionLists();
  lockHeldMs = 0;

  constructor(private readonly dataSource: DataSource) {}

  private static placeholders(rows: number, columns: number): string {
    return Array.from(
      { length: rows },
      (_, r) => `(${Array.from({ length: columns }, (__, c) => `$${r * columns + c + 1}`).join(', ')})`,
    ).join(', ');
  }

  async append(seal: Seal): Promise<AuditRecord[]> {
    const { records, lists } = await this.chain(seal);
    this.lists.written(lists);
    return records;
  }

  /**
   * Three round trips while the lock is held: one message opens the
   * transaction, takes the lock (waiting for another writer's turn) and, in
   * a statement of its own that starts once the lock is held, reads the
   * head; then the insert; then the commit.
   */
  private async chain(seal: Seal): Promise<{ records: AuditRecord[]; lists: Map<string, string> }> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    let committed = false;
    try {
      const opened = (await client.query(
        `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(${TRAIL_LOCK}); ${HEAD}`,
      )) as unknown as QueryResult<HeadRow>[];
      const locked = performance.now();
      try {
        const records = seal(headOf(opened[opened.length - 1]!.rows[0]));
        const lists = this.lists.unlisted(records);
        await this.insert(client, records, lists);
        await client.query('COMMIT');
        committed = true;
        return { records, lists };
      } finally {
        this.lockHeldMs += performance.now() - locked;
      }
    } catch (error) {
      // Also when the opening message failed part way: a transaction left open would go back to the pool.
      if (!committed) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The lists first: a record never refers to a list not written. */
  private async insert(client: PoolClient, records: readonly AuditRecord[], lists: Map<string, string>): Promise<void> {
    if (lists.size > 0) {
      await client.query(
        `${INSERT_DECISION_LIST} ${TypeOrmAuditWriter.placeholders(lists.size, 2)} ON CONFLICT DO NOTHING`,
        [...lists].flat(),
      );
    }
    const columns: unknown[][] = AUDIT_COLUMNS.map(() => []);
    for (const record of records) toRow(record).forEach((value, c) => columns[c]!.push(value));
    await client.query(INSERT_EVENTS, columns);
  }

  async writePostings(bucket: number, postings: readonly Posting[]): Promise<void> {
    if (postings.length === 0) return;
    await this.dataSource.query(
      `${INSERT_POSTING} ${TypeOrmAuditWriter.placeholders(postings.length, 3)} ON CONFLICT DO NOTHING`,
      postings.flatMap(({ group, entries }) => [group, bucket, entries]),
    );
  }

  async closeBucket(bucket: number, entries: number): Promise<void> {
    await this.dataSource.query(`${INSERT_BUCKET} ($1, $2) ON CONFLICT DO NOTHING`, [bucket, entries]);
  }
}

export function createAuditWriter(dataSource: DataSource): AuditWriter {
  if (dataSource.options.type === 'better-sqlite3') {
    return new SqliteAuditWriter((dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection);
  }
  if (dataSource.options.type === 'postgres') return new TypeOrmAuditWriter(dataSource);
  throw new Error(`the audit trail supports SQLite and PostgreSQL, not ${dataSource.options.type}`);
}
