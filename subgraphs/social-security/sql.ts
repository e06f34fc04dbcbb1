import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Pool, types, type CustomTypesConfig } from 'pg';
import type { DatabaseConfig } from '../../common/database/database-config';
import type { Logger } from '../../common/logger';

/**
 * Social security's own way to its database: better-sqlite3 for a SQLite
 * file, pg for a PostgreSQL URL, behind one small interface. Statements are
 * written once with `?` placeholders; rows come back as plain objects.
 */
export type Row = Record<string, unknown>;

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs one statement; its rows, or none for a statement that returns none. */
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Runs `work` in one transaction. On SQLite the connection is shared, so a
   * transaction is only for work nothing else runs beside: migrations at
   * start and the seed.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Counts every statement sent (subgraphs/department-server.ts: StatementCount). */
export interface StatementTally {
  count: number;
}

/** `column` equal to one of `values`, as one statement text whatever their number (so it is prepared once). */
export function anyOf(sql: Sql, column: string, values: readonly string[]): { text: string; params: unknown[] } {
  return sql.dialect === 'sqlite'
    ? { text: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] }
    : { text: `${column} = ANY(?)`, params: [values] };
}

export function openSql(database: DatabaseConfig, tally: StatementTally, logger?: Logger): Sql {
  return database.kind === 'sqlite' ? openSqlite(database.path, tally) : openPostgres(database.url, tally, logger);
}

/** A SQLite file, created 0600 in a 0700 folder: personal data is readable by the service's user alone. */
function openSqlite(file: string, tally: StatementTally): Sql {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const prepared = new Map<string, Database.Statement>();
  const run = (text: string, params: readonly unknown[]): Row[] => {
    tally.count += 1;
    let statement = prepared.get(text);
    if (!statement) prepared.set(text, (statement = db.prepare(text)));
    if (statement.reader) return statement.all(...params) as Row[];
    statement.run(...params);
    return [];
  };
  const sql: Sql = {
    dialect: 'sqlite',
    query: async <T extends Row>(text: string, params: readonly unknown[] = []) => run(text, params) as T[],
    transaction: async (work) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(sql);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    close: async () => void db.close(),
  };
  return sql;
}

/** Dates stay `YYYY-MM-DD` text, numerics and counts become numbers. */
const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === types.builtins.DATE) return (value: string) => value;
    if (oid === types.builtins.NUMERIC || oid === types.builtins.INT8) return (value: string) => Number(value);
    return types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

const placeholders = new Map<string, string>();

/** `?` placeholders as PostgreSQL's `$1, $2, …` (no statement here has a `?` inside a literal). */
function numbered(text: string): string {
  let converted = placeholders.get(text);
  if (converted === undefined) {
    let n = 0;
    converted = text.replace(/\?/g, () => `$${(n += 1)}`);
    placeholders.set(text, converted);
  }
  return converted;
}

function openPostgres(url: string, tally: StatementTally, logger?: Logger): Sql {
  const pool = new Pool({ connectionString: url, max: 10, types: TYPES });
  // An idle client's connection can drop; the pool replaces it, and the error must not end the process.
  pool.on('error', (error) => logger?.warn({ err: error }, 'database connection lost'));
  const sql: Sql = {
    dialect: 'postgres',
    query: async <T extends Row>(text: string, params: readonly unknown[] = []) => {
      tally.count += 1;
      return (await pool.query(numbered(text), params as unknown[])).rows as T[];
    },
    transaction: async (work) => {
      const client = await pool.connect();
      const tx: Sql = {
        dialect: 'postgres',
        query: async <T extends Row>(text: string, params: readonly unknown[] = []) => {
          tally.count += 1;
          return (await client.query(numbered(text), params as unknown[])).rows as T[];
        },
        transaction: () => Promise.reject(new Error('transactions do not nest')),
        close: () => Promise.reject(new Error('close the database, not its transaction')),
      };
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // The original error is the one to report; a failed rollback ends with the connection anyway.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  return sql;
}
