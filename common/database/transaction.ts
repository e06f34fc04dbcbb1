import type { DataSource, EntityManager } from 'typeorm';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in a database transaction. PostgreSQL gives each transaction
 * its own pooled connection. On SQLite, TypeORM uses one query runner for
 * everything and turns a transaction begun while another is open into a
 * savepoint of the first, so one caller's rollback could undo another's
 * committed-looking work. That cannot happen today only because
 * better-sqlite3 never yields to the event loop inside a transaction; the
 * queue keeps it so when a transaction one day awaits real I/O. SQLite
 * admits one writer at a time anyway.
 */
export function inTransaction<T>(dataSource: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource.transaction(work);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(() => dataSource.transaction(work));
  sqliteQueues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}
