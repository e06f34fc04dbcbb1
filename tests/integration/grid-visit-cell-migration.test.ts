import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig, type DatabaseParts } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { gridDatabase } from '../../subgraphs/grid/datasource';
import { CreateGrid1732262400000 } from '../../subgraphs/grid/migrations/1732262400000-create-grid';
import { startPostgres, type Postgres } from './postgres';

/**
 * The migration that gives each visit its cell, on a grid database made
 * before it: existing visits take the cell their resident is registered in.
 */
describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
])('the visit-cell migration on %s', (_name, onPostgres) => {
  let dir: string;
  let postgres: Postgres | undefined;
  let database: DatabaseConfig;
  const open = (parts: DatabaseParts) => openDataSource(createDataSource(database, parts, new StatementCounter()), database);
  const [VILLAGE, OTHER_VILLAGE] = ['610921102201', '610921103202'];
  const BEFORE: DatabaseParts = { entities: gridDatabase.entities, migrations: [CreateGrid1732262400000] };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-visit-cell-'));
    if (onPostgres) {
      postgres = await startPostgres();
      await postgres.createDatabase('grid');
      database = { kind: 'postgres', url: postgres.url('grid') };
    } else {
      database = { kind: 'sqlite', path: path.join(dir, 'grid.sqlite') };
    }
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const p = (i: number) => (onPostgres ? `$${i}` : '?');
  const insert = (ds: DataSource, table: string, columns: string[], values: unknown[]) =>
    ds.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => p(i + 1)).join(', ')})`, values);
  const visitCells = async (ds: DataSource) =>
    Object.fromEntries(
      ((await ds.query('SELECT id, cell_id FROM visit ORDER BY id')) as { id: string; cell_id: string | null }[]).map((row) => [
        row.id,
        row.cell_id,
      ]),
    );

  it('fills visit.cell_id from the resident’s registration in the visit’s area, else leaves it null, and can be undone', async () => {
    // A database as it was before the migration: the first migration only, with visits without a cell.
    const before = await open(BEFORE);
    try {
      const REGISTRATION = ['resident_id', 'cell_id', 'care_level', 'area_code'];
      await insert(before, 'resident_registration', REGISTRATION, ['r-1', 'cell-a', 'CARE', VILLAGE]);
      await insert(before, 'resident_registration', REGISTRATION, ['r-2', 'cell-b', 'CARE', VILLAGE]);
      // Moved to another village since the visit: the new village's cell is not where the visit was.
      await insert(before, 'resident_registration', REGISTRATION, ['r-3', 'cell-elsewhere', 'CARE', OTHER_VILLAGE]);
      const VISIT = ['id', 'resident_id', 'worker_id', 'visited_at', 'notes', 'follow_up_needed', 'area_code'];
      for (const [id, resident] of [
        ['v-1', 'r-1'],
        ['v-2', 'r-1'],
        ['v-3', 'r-2'],
        ['v-4', 'r-unregistered'],
        ['v-5', 'r-3'],
      ]) {
        await insert(before, 'visit', VISIT, [id, resident, 'w-1', '2026-10-01T08:00:00.000Z', '走访', onPostgres ? false : 0, VILLAGE]);
      }
    } finally {
      await before.destroy();
    }

    const after = await open(gridDatabase);
    try {
      expect(await visitCells(after)).toEqual({ 'v-1': 'cell-a', 'v-2': 'cell-a', 'v-3': 'cell-b', 'v-4': null, 'v-5': null });
      const applied = (await after.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
      expect(applied.map((m) => m.name)).toEqual(['CreateGrid1732262400000', 'AddVisitCell1796428800000']);
      // Undone, the column is gone and the visits are as they were.
      await after.undoLastMigration({ transaction: 'all' });
      const rows = (await after.query('SELECT * FROM visit ORDER BY id')) as Record<string, unknown>[];
      expect(rows.map((row) => row.id)).toEqual(['v-1', 'v-2', 'v-3', 'v-4', 'v-5']);
      expect(rows.every((row) => !('cell_id' in row))).toBe(true);
    } finally {
      await after.destroy();
    }
  });
});
