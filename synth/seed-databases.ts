import { civilAffairsDatabase } from '../subgraphs/civil-affairs/datasource';
import { seedCivilAffairs } from '../subgraphs/civil-affairs/seed/civil-affairs.seed';
import { gridDatabase } from '../subgraphs/grid/datasource';
import { seedGrid } from '../subgraphs/grid/seed/grid.seed';
import type { DatabaseConfig } from '../subgraphs/kit/config';
import { createDataSource, openDataSource, type DatabaseParts } from '../common/database/datasource';
import { StatementCounter } from '../common/database/statement-counter';
import { petitionsDatabase } from '../subgraphs/petitions/datasource';
import { seedPetitions } from '../subgraphs/petitions/seed/petitions.seed';
import { generateCounty, type County, type CountyOptions } from './county';

export interface DepartmentDatabases {
  civilAffairs: DatabaseConfig;
  petitions: DatabaseConfig;
  grid: DatabaseConfig;
}

export const DEFAULT_AS_OF = '2026-11-01T00:00:00.000Z';

/**
 * Generates one county and writes each department's part into that
 * department's own database (migrations applied first). Returns the county
 * so callers can report or test what was written.
 */
export async function seedDatabases(options: CountyOptions, databases: DepartmentDatabases): Promise<County> {
  const county = generateCounty(options);
  await withDatabase(databases.civilAffairs, civilAffairsDatabase, (ds) => seedCivilAffairs(ds, county));
  await withDatabase(databases.petitions, petitionsDatabase, (ds) => seedPetitions(ds, county));
  await withDatabase(databases.grid, gridDatabase, (ds) => seedGrid(ds, county));
  return county;
}

async function withDatabase(config: DatabaseConfig, parts: DatabaseParts, work: (ds: Awaited<ReturnType<typeof openDataSource>>) => Promise<void>): Promise<void> {
  const dataSource = await openDataSource(createDataSource(config, parts, new StatementCounter()), config);
  try {
    await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
