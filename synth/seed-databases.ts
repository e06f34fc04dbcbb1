import type { DatabaseConfig } from '../common/database/database-config';
import { DEPARTMENTS } from '../common/departments';
import { loadDepartment } from '../subgraphs/departments';
import { generateCounty, type County, type CountyOptions } from './county';

/** Where a department (by its registry name) keeps its data. */
export type DatabaseOf = (department: string) => DatabaseConfig;

export const DEFAULT_AS_OF = '2026-11-01T00:00:00.000Z';

/**
 * Generates one county and has each department of the registry write its
 * part into its own database (its migrations applied first). Returns the
 * county so callers can report or test what was written.
 */
export async function seedDatabases(options: CountyOptions, databaseOf: DatabaseOf): Promise<County> {
  const county = generateCounty(options);
  for (const entry of DEPARTMENTS) {
    const department = await loadDepartment(entry);
    await department.seed?.(databaseOf(entry.name), county);
  }
  return county;
}
