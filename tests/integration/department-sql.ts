import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../common/database/database-config';

/**
 * One statement on a department's database, over a connection of its own,
 * whatever the department is built on: for tests that set up or check rows
 * behind a running subgraph. Parameters as `?`.
 */
export async function querySql(database: DatabaseConfig, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (database.kind === 'sqlite') {
    const db = new Database(database.path, { timeout: 5000 });
    try {
      const statement = db.prepare(text);
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
      statement.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    let n = 0;
    return (
      await client.query(
        text.replace(/\?/g, () => `$${(n += 1)}`),
        params,
      )
    ).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
