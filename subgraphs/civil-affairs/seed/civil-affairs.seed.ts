import type { DataSource } from 'typeorm';
import type { County } from '../../../synth/county';
import { clearTables, insertRows } from '../../kit/bulk-insert';

/** Replaces the civil-affairs tables with the county's residents, households and benefits. */
export async function seedCivilAffairs(
  dataSource: DataSource,
  county: Pick<County, 'households' | 'residents' | 'benefits'>,
): Promise<void> {
  await clearTables(dataSource, ['benefit', 'resident', 'household']);
  await insertRows(dataSource, 'household', county.households);
  await insertRows(dataSource, 'resident', county.residents);
  await insertRows(dataSource, 'benefit', county.benefits);
}
