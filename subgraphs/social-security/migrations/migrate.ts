import type { Sql } from '../sql';

/**
 * Versioned migrations in plain SQL, for each dialect, applied in order at
 * start; a ledger table records those applied. Instances starting together
 * on one database take turns: SQLite's write lock (BEGIN IMMEDIATE) or a
 * PostgreSQL advisory lock is held while the ledger is read and written.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: readonly string[];
  postgres: readonly string[];
}

/** Applies the migrations `ledger` has not recorded yet, in one transaction. */
export async function migrate(sql: Sql, ledger: string, migrations: readonly Migration[]): Promise<void> {
  await sql.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(hashtext(?))', [ledger]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${ledger} (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at VARCHAR(30) NOT NULL)`,
    );
    const applied = new Set((await tx.query<{ version: number }>(`SELECT version FROM ${ledger}`)).map((row) => Number(row.version)));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration[tx.dialect]) await tx.query(statement);
      await tx.query(`INSERT INTO ${ledger} (version, name, applied_at) VALUES (?, ?, ?)`, [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
  });
}
