import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { decisionListRef, storedDecisions, type AuditRecord } from './audit-record';
import { AUDIT_COLUMNS, toRow } from './audit-rows';
import type { Posting } from './subject-postings';

/**
 * Writing the trail's rows, on the hot path: SQLite through statements
 * prepared once, PostgreSQL through multi-row INSERTs; each decision list
 * written once per process.
 */

/** Writes sealed records, one commit group per transaction, and (separately) the subject index of full buckets. */
export interface AuditWriter {
  write(records: AuditRecord[]): Promise<void>;
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
}

const COLUMNS = AUDIT_COLUMNS.join(', ');
const COLUMN_COUNT = AUDIT_COLUMNS.length;

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
  writeAll: Transaction<(records: AuditRecord[], lists: Map<string, string>) => void>;
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
    return {
      writeAll: this.db.transaction((records: AuditRecord[], lists: Map<string, string>) => {
        for (const [ref, decisions] of lists) list.run(ref, decisions);
        for (const record of records) event.run(toRow(record));
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

  async write(records: AuditRecord[]): Promise<void> {
    const lists = this.lists.unlisted(records);
    this.ready().writeAll(records, lists);
    this.lists.written(lists);
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

/** PostgreSQL: multi-row INSERTs through TypeORM (one statement is one transaction). */
class TypeOrmAuditWriter implements AuditWriter {
  private readonly lists = new DecisionLists();

  constructor(private readonly dataSource: DataSource) {}

  private static placeholders(rows: number, columns: number): string {
    return Array.from(
      { length: rows },
      (_, r) => `(${Array.from({ length: columns }, (__, c) => `$${r * columns + c + 1}`).join(', ')})`,
    ).join(', ');
  }

  /** The lists first, each its own statement: a record is never committed before its list. */
  async write(records: AuditRecord[]): Promise<void> {
    const lists = this.lists.unlisted(records);
    if (lists.size > 0) {
      await this.dataSource.query(
        `${INSERT_DECISION_LIST} ${TypeOrmAuditWriter.placeholders(lists.size, 2)} ON CONFLICT DO NOTHING`,
        [...lists].flat(),
      );
    }
    await this.dataSource.query(
      `INSERT INTO audit_event (${COLUMNS}) VALUES ${TypeOrmAuditWriter.placeholders(records.length, COLUMN_COUNT)}`,
      records.flatMap(toRow),
    );
    this.lists.written(lists);
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
