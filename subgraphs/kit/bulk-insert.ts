import type { DataSource } from 'typeorm';
import { toSnakeCase } from '../../common/database/naming.strategy';

interface SqliteConnection {
  prepare(sql: string): { run(...values: unknown[]): unknown };
  transaction(fn: () => void): () => void;
}

/**
 * Fast loading for the seed: rows whose keys are entity property names go
 * into `table` in one transaction (SQLite: one prepared statement; PostgreSQL:
 * multi-row INSERTs). Not for request paths: it bypasses the entities.
 */
export async function insertRows<T extends object>(dataSource: DataSource, table: string, rows: readonly T[]): Promise<void> {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]!) as (keyof T)[];
  const columns = keys.map((key) => toSnakeCase(String(key))).join(', ');
  if (dataSource.options.type === 'better-sqlite3') {
    const connection = (dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    const statement = connection.prepare(`INSERT INTO ${table} (${columns}) VALUES (${keys.map(() => '?').join(', ')})`);
    connection.transaction(() => {
      for (const row of rows) statement.run(...keys.map((key) => toSqliteValue(row[key])));
    })();
    return;
  }
  const perChunk = Math.floor(60_000 / keys.length);
  await dataSource.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += perChunk) {
      const chunk = rows.slice(start, start + perChunk);
      const values = chunk.map((_, r) => `(${keys.map((__, c) => `$${r * keys.length + c + 1}`).join(', ')})`).join(', ');
      await tx.query(
        `INSERT INTO ${table} (${columns}) VALUES ${values}`,
        chunk.flatMap((row) => keys.map((key) => row[key])),
      );
    }
  });
}

/** Empties tables (children first) so a re-seed replaces the data. */
export async function clearTables(dataSource: DataSource, tables: readonly string[]): Promise<void> {
  await dataSource.transaction(async (tx) => {
    for (const table of tables) await tx.query(`DELETE FROM ${table}`);
  });
}

function toSqliteValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
