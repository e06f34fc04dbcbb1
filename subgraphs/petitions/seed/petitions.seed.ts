import type { DataSource } from 'typeorm';
import type { County } from '../../../synth/county';
import { clearTables, insertRows } from '../../kit/bulk-insert';

/** Replaces the petitions tables with the county's petitions and their histories. */
export async function seedPetitions(dataSource: DataSource, county: Pick<County, 'petitions' | 'petitionSteps'>): Promise<void> {
  await clearTables(dataSource, ['petition_step', 'petition']);
  await insertRows(dataSource, 'petition', county.petitions);
  await insertRows(dataSource, 'petition_step', county.petitionSteps);
}
