import type { QueryRunner } from 'typeorm';

/**
 * Makes an audit table refuse UPDATE and DELETE in the database itself:
 * triggers on SQLite; triggers (TRUNCATE included) and revoked privileges on
 * PostgreSQL.
 */
export async function makeAppendOnly(runner: QueryRunner, table: string): Promise<void> {
  if (runner.connection.options.type === 'postgres') {
    await runner.query(
      `CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$ LANGUAGE plpgsql`,
    );
    await runner.query(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`,
    );
    await runner.query(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`,
    );
    await runner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC`);
  } else {
    await runner.query(
      `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END`,
    );
    await runner.query(
      `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END`,
    );
  }
}
