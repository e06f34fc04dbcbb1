import { chmodSync, closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import type { NonceLedger } from '../../common/governance-context';
import type { DatabaseConfig } from '../../common/database/datasource';

/**
 * The nonces a subgraph has accepted, kept in its own storage so that every
 * replica of the subgraph and every restart sees them: a signed request is
 * accepted once. One row per accepted request, inserted only if absent
 * (`ON CONFLICT DO NOTHING`), so two replicas racing on one nonce cannot both
 * win. Rows past their expiry are deleted every PURGE_EVERY_MS.
 *
 * On SQLite the ledger is a small file of its own next to the database
 * (`<name>.nonces.sqlite`), on a connection of its own: an insert there never
 * runs inside another request's open transaction, and never waits on one.
 * On PostgreSQL it is a table in the department's database, written through
 * a pool of its own for the same reason.
 */
export interface NonceStore extends NonceLedger {
  /** Claims made so far (each one SQL statement), apart from the department's own statements. */
  readonly claims: number;
  close(): Promise<void>;
}

const TABLE = 'govgraph_nonce';
const PURGE_EVERY_MS = 30_000;

/** The SQLite ledger's file for a department database file. */
export function nonceFileFor(databasePath: string): string {
  return databasePath.replace(/(\.sqlite)?$/, '.nonces.sqlite');
}

export async function openNonceStore(database: DatabaseConfig, now: () => number = Date.now): Promise<NonceStore> {
  return database.kind === 'sqlite' ? openSqliteStore(nonceFileFor(database.path), now) : openPostgresStore(database.url, now);
}

/** A store from its claim, purged every PURGE_EVERY_MS, its claims counted. */
function countedStore(
  claim: (nonce: string, expiresAt: number) => Promise<boolean>,
  purge: () => Promise<unknown>,
  closeStorage: () => Promise<void>,
): NonceStore {
  const timer = setInterval(() => void purge().catch(() => undefined), PURGE_EVERY_MS);
  timer.unref();
  let claims = 0;
  return {
    get claims() {
      return claims;
    },
    claim: (nonce, expiresAt) => {
      claims += 1;
      return claim(nonce, expiresAt);
    },
    close: async () => {
      clearInterval(timer);
      await closeStorage();
    },
  };
}

function openSqliteStore(file: string, now: () => number): NonceStore {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file, { timeout: 2_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID`);
  const insert = db.prepare<[string, number]>(`INSERT INTO ${TABLE} (nonce, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING`);
  const remove = db.prepare<[number]>(`DELETE FROM ${TABLE} WHERE expires_at < ?`);
  const purge = async () => remove.run(now());
  void purge();
  return countedStore(
    async (nonce, expiresAt) => insert.run(nonce, expiresAt).changes === 1,
    purge,
    async () => {
      db.close();
    },
  );
}

async function openPostgresStore(url: string, now: () => number): Promise<NonceStore> {
  const pool = new Pool({ connectionString: url, max: 4 });
  // An idle connection's failure: the next claim fails instead, and its request is refused.
  pool.on('error', () => undefined);
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (nonce varchar(64) PRIMARY KEY, expires_at bigint NOT NULL)`);
  } catch (error) {
    // Two replicas creating the table at once: the loser's catalog insert conflicts; the table is there.
    const exists = await pool.query(`SELECT to_regclass($1) AS name`, [TABLE]);
    if (!exists.rows[0]?.name) {
      await pool.end();
      throw error;
    }
  }
  const purge = () => pool.query(`DELETE FROM ${TABLE} WHERE expires_at < $1`, [now()]);
  await purge();
  return countedStore(
    async (nonce, expiresAt) =>
      (await pool.query(`INSERT INTO ${TABLE} (nonce, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [nonce, expiresAt])).rowCount ===
      1,
    purge,
    () => pool.end(),
  );
}
