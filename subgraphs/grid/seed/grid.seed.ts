import type { DataSource } from 'typeorm';
import type { County } from '../../../synth/county';
import { clearTables, insertRows } from '../../kit/bulk-insert';

/** Replaces the grid tables: cells, workers, the resident registry (ids only), visits, incidents. */
export async function seedGrid(
  dataSource: DataSource,
  county: Pick<County, 'cells' | 'workers' | 'registrations' | 'visits' | 'incidents'>,
): Promise<void> {
  await clearTables(dataSource, ['incident', 'visit', 'resident_registration', 'grid_cell', 'grid_worker']);
  await insertRows(dataSource, 'grid_worker', county.workers);
  await insertRows(dataSource, 'grid_cell', county.cells);
  await insertRows(dataSource, 'resident_registration', county.registrations);
  await insertRows(dataSource, 'visit', county.visits);
  await insertRows(dataSource, 'incident', county.incidents);
}
