/**
 * How many records a SQLite trail holds, read from another process while the
 * gateway writes it (the benchmark counts what each window committed).
 * Read-only; sequence numbers are gapless, so the highest is the count.
 */
import Database from 'better-sqlite3';

export interface TrailCounter {
  records(): number;
  close(): void;
}

export function openTrailCounter(databaseFile: string): TrailCounter {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  const statement = db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM audit_event');
  return { records: () => (statement.get() as { n: number }).n, close: () => db.close() };
}
