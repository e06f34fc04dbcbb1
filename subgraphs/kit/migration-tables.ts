import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions, type TableOptions } from 'typeorm';

/**
 * The column kinds every department's tables share, and the create/drop pair
 * of a first migration. Types are the portable ones both SQLite and
 * PostgreSQL accept; instants are ISO 8601 text (`2026-11-22T08:30:00.000Z`,
 * 24 characters), which sorts in time order on both.
 */
export const ID_COLUMN: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
export const AREA_CODE_COLUMN: TableColumnOptions = { name: 'area_code', type: 'varchar', length: '12' };

/** The id of another record (a UUID), here or in another department. */
export function refColumn(name: string, isNullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: '36', isNullable };
}

export function instantColumn(name: string, isNullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: '24', isNullable };
}

export function varcharColumn(name: string, length: number, isNullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), isNullable };
}

export function textColumn(name: string, isNullable = false): TableColumnOptions {
  return { name, type: 'text', isNullable };
}

/** Creates the tables in order (parents before the tables that refer to them). */
async function createTables(runner: QueryRunner, tables: readonly TableOptions[]): Promise<void> {
  for (const table of tables) await runner.createTable(new Table(table));
}

/** Drops the tables in reverse order. */
async function dropTables(runner: QueryRunner, tables: readonly TableOptions[]): Promise<void> {
  for (const table of [...tables].reverse()) await runner.dropTable(table.name);
}

/**
 * A migration that creates `tables` in order and drops them in reverse.
 * `name` is what the migrations table records (and where TypeORM reads the
 * timestamp from), so it must never change once released.
 */
export function createTablesMigration(name: string, tables: readonly TableOptions[]): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(runner: QueryRunner): Promise<void> {
      await createTables(runner, tables);
    }

    async down(runner: QueryRunner): Promise<void> {
      await dropTables(runner, tables);
    }
  };
}
