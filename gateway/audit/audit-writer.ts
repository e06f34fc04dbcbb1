import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { storedDecisions, type AuditRecord, type Subject } from './audit-record';
import { subjectBucket, type SubjectKeyer } from './subject-key';

/** The subjects of one record, for the index. */
export interface IndexEntry {
  seq: number;
  subjects: Subject[];
}

/** Writes sealed records, one commit group per transaction, and (separately) their subject index. */
export interface AuditWriter {
  write(records: AuditRecord[]): Promise<void>;
  /** Index rows for records already stored, in one transaction; rows already there are left as they are. */
  index(entries: IndexEntry[]): Promise<void>;
}

const COLUMNS = 'seq, at, request_id, sub, department, roles, purpose, client_name, client_version, operation_type, operation_name, document_hash, decisions, subjects, outcome, status, duration_ms, prev_hash, hash';
const COLUMN_COUNT = 19;

function toRow(record: AuditRecord): unknown[] {
  return [
    record.seq, record.at, record.requestId, record.sub, record.department, JSON.stringify(record.roles), record.purpose,
    record.clientName, record.clientVersion, record.operationType, record.operationName, record.documentHash,
    storedDecisions(record.decisions), JSON.stringify(record.subjects), record.outcome, record.status, record.durationMs,
    record.prevHash, record.hash,
  ];
}

/**
 * (bucket, key, seq) rows in primary-key order, so consecutive inserts land
 * on the same index pages; without duplicates (a subject named twice in one
 * record is indexed once).
 */
function keyRows(entries: IndexEntry[], keyOf: SubjectKeyer): [number, bigint, number][] {
  const rows: [number, bigint, number][] = [];
  for (const entry of entries) {
    const bucket = subjectBucket(entry.seq);
    for (const key of new Set(entry.subjects.map(keyOf))) rows.push([bucket, key, entry.seq]);
  }
  return rows.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2]));
}

/** Index rows per INSERT on SQLite: one call into the driver for many rows, a statement prepared once. */
const INDEX_ROWS_PER_STATEMENT = 100;

/**
 * SQLite: statements prepared once and run inside one transaction. A
 * multi-row INSERT built per batch would be parsed and planned anew for every
 * commit, with thousands of placeholders when a page of residents brings its
 * subjects; the index is written in fixed runs of rows instead (a quarter
 * less time than a row at a time).
 */
class SqliteAuditWriter implements AuditWriter {
  private statements: { writeAll: Transaction<(records: AuditRecord[]) => void>; indexAll: Transaction<(entries: IndexEntry[]) => void> } | undefined;

  constructor(
    private readonly db: Database,
    private readonly keyOf: SubjectKeyer,
  ) {}

  private prepare() {
    const event: Statement = this.db.prepare(`INSERT INTO audit_event (${COLUMNS}) VALUES (${Array(COLUMN_COUNT).fill('?').join(', ')})`);
    const insertSubjects = (rows: number): Statement =>
      this.db.prepare(`INSERT OR IGNORE INTO audit_subject_key (bucket, subject_key, seq) VALUES ${Array(rows).fill('(?, ?, ?)').join(', ')}`);
    const [one, run] = [insertSubjects(1), insertSubjects(INDEX_ROWS_PER_STATEMENT)];
    return {
      writeAll: this.db.transaction((records: AuditRecord[]) => {
        for (const record of records) event.run(toRow(record));
      }),
      indexAll: this.db.transaction((entries: IndexEntry[]) => {
        const rows = keyRows(entries, this.keyOf);
        let next = 0;
        for (; next + INDEX_ROWS_PER_STATEMENT <= rows.length; next += INDEX_ROWS_PER_STATEMENT) run.run(rows.slice(next, next + INDEX_ROWS_PER_STATEMENT).flat());
        for (; next < rows.length; next += 1) one.run(rows[next]);
      }),
    };
  }

  private ready() {
    // Synchronous, so nothing else runs on this connection meanwhile; but it must not end up
    // nested in a transaction someone else left open on it.
    if (this.db.inTransaction) throw new Error('the audit database connection is inside another transaction');
    return (this.statements ??= this.prepare());
  }

  async write(records: AuditRecord[]): Promise<void> {
    this.ready().writeAll(records);
  }

  async index(entries: IndexEntry[]): Promise<void> {
    this.ready().indexAll(entries);
  }
}

/** PostgreSQL: multi-row INSERTs through TypeORM (one statement is one transaction). */
class TypeOrmAuditWriter implements AuditWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyOf: SubjectKeyer,
  ) {}

  private static placeholders(rows: number, columns: number): string {
    return Array.from({ length: rows }, (_, r) => `(${Array.from({ length: columns }, (__, c) => `$${r * columns + c + 1}`).join(', ')})`).join(', ');
  }

  async write(records: AuditRecord[]): Promise<void> {
    await this.dataSource.query(`INSERT INTO audit_event (${COLUMNS}) VALUES ${TypeOrmAuditWriter.placeholders(records.length, COLUMN_COUNT)}`, records.flatMap(toRow));
  }

  async index(entries: IndexEntry[]): Promise<void> {
    const rows = keyRows(entries, this.keyOf);
    await this.dataSource.transaction(async (tx) => {
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        await tx.query(
          `INSERT INTO audit_subject_key (bucket, subject_key, seq) VALUES ${TypeOrmAuditWriter.placeholders(chunk.length, 3)} ON CONFLICT DO NOTHING`,
          chunk.flatMap(([bucket, key, seq]) => [bucket, String(key), seq]),
        );
      }
    });
  }
}

export function createAuditWriter(dataSource: DataSource, keyOf: SubjectKeyer): AuditWriter {
  if (dataSource.options.type === 'better-sqlite3') {
    return new SqliteAuditWriter((dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection, keyOf);
  }
  if (dataSource.options.type === 'postgres') return new TypeOrmAuditWriter(dataSource, keyOf);
  throw new Error(`the audit trail supports SQLite and PostgreSQL, not ${dataSource.options.type}`);
}
