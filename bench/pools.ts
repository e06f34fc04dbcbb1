import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Ids the workload draws from, read from the seeded department databases so
 * that every request reads different rows that exist.
 */
export interface Worker {
  id: string;
  areaCode: string;
  cells: string[];
  residents: string[];
}

/** Ids drawn from the seeded databases, in a stable order. */
export interface Pools {
  workers: Worker[];
  petitions: string[];
  villages: string[];
  townships: string[];
  /** Households with a member on 低保: those whose means civil affairs checks. */
  households: string[];
}

function readonlyDb(dataDir: string, file: string): Database.Database {
  return new Database(path.join(dataDir, file), { readonly: true, fileMustExist: true });
}

/** Reads the pools from the department databases under `dataDir`. */
export function readPools(dataDir: string, workerCount = 64): Pools {
  const grid = readonlyDb(dataDir, 'grid.sqlite');
  const civil = readonlyDb(dataDir, 'civil-affairs.sqlite');
  const petitionsDb = readonlyDb(dataDir, 'petitions.sqlite');
  try {
    const workerRows = grid
      .prepare(
        'SELECT DISTINCT w.id AS id, w.area_code AS areaCode FROM grid_worker w JOIN grid_cell c ON c.worker_id = w.id WHERE c.level = 3 ORDER BY w.id LIMIT ?',
      )
      .all(workerCount) as { id: string; areaCode: string }[];
    const cellsOf = grid.prepare('SELECT id FROM grid_cell WHERE worker_id = ? AND level = 3 ORDER BY id');
    const residentsIn = grid.prepare('SELECT resident_id AS id FROM resident_registration WHERE cell_id = ? ORDER BY resident_id');
    const workers = workerRows.map((row) => {
      const cells = (cellsOf.all(row.id) as { id: string }[]).map((cell) => cell.id);
      const residents = cells.flatMap((cell) => (residentsIn.all(cell) as { id: string }[]).map((r) => r.id));
      return { ...row, cells, residents };
    });
    const petitions = (petitionsDb.prepare('SELECT id FROM petition ORDER BY id LIMIT 5000').all() as { id: string }[]).map(
      (row) => row.id,
    );
    const villages = (civil.prepare('SELECT DISTINCT area_code AS code FROM household ORDER BY area_code').all() as { code: string }[]).map(
      (row) => row.code,
    );
    const townships = [...new Set(villages.map((code) => code.slice(0, 9)))];
    const households = (
      civil
        .prepare(
          "SELECT DISTINCT r.household_id AS id FROM benefit b JOIN resident r ON r.id = b.resident_id WHERE b.type = 'MINIMUM_LIVING_ALLOWANCE' ORDER BY 1 LIMIT 5000",
        )
        .all() as { id: string }[]
    ).map((row) => row.id);
    if (workers.length === 0 || petitions.length === 0 || villages.length === 0 || households.length === 0)
      throw new Error('the benchmark county has no workers, petitions, villages or households on 低保');
    return { workers: workers.filter((worker) => worker.residents.length > 0), petitions, villages, townships, households };
  } finally {
    grid.close();
    civil.close();
    petitionsDb.close();
  }
}
