import type { DataSource } from 'typeorm';
import { DEPARTMENTS } from '../common/departments';
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

/** Where a department (by its registry name) keeps its data. */
export type DatabaseOf = (department: string) => DatabaseConfig;

type Seeder = (dataSource: DataSource, county: County) => Promise<void>;

/** Each department's part of the county: its tables and how its share of the data is written. */
const SEEDERS: Readonly<Record<string, { parts: DatabaseParts; seed: Seeder }>> = {
  'civil-affairs': { parts: civilAffairsDatabase, seed: seedCivilAffairs },
  petitions: { parts: petitionsDatabase, seed: seedPetitions },
  grid: { parts: gridDatabase, seed: seedGrid },
};

export const DEFAULT_AS_OF = '2026-11-01T00:00:00.000Z';

/**
 * Generates one county and writes each department's part into that
 * department's own database (migrations applied first). Returns the county
 * so callers can report or test what was written.
 */
export async function seedDatabases(options: CountyOptions, databaseOf: DatabaseOf): Promise<County> {
  const county = generateCounty(options);
  for (const { name } of DEPARTMENTS) {
    const seeder = SEEDERS[name];
    if (!seeder) throw new Error(`synth/ has no data for the department ${name}`);
    await withDatabase(databaseOf(name), seeder.parts, (ds) => seeder.seed(ds, county));
  }
  return county;
}

async function withDatabase(config: DatabaseConfig, parts: DatabaseParts, work: (ds: DataSource) => Promise<void>): Promise<void> {
  const dataSource = await openDataSource(createDataSource(config, parts, new StatementCounter()), config);
  try {
    await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
