import type { TableOptions } from 'typeorm';
import {
  AREA_CODE_COLUMN,
  ID_COLUMN,
  createTablesMigration,
  instantColumn,
  refColumn,
  textColumn,
  varcharColumn,
} from '../../kit/migration-tables';

/** In creation order; dropped in reverse. */
const GRID_TABLES: TableOptions[] = [
  {
    name: 'grid_worker',
    columns: [ID_COLUMN, varcharColumn('name', 64), varcharColumn('phone', 11), AREA_CODE_COLUMN],
    indices: [{ name: 'idx_grid_worker_area', columnNames: ['area_code'] }],
  },
  {
    name: 'grid_cell',
    columns: [
      ID_COLUMN,
      varcharColumn('code', 16),
      varcharColumn('name', 64),
      { name: 'level', type: 'integer' },
      AREA_CODE_COLUMN,
      refColumn('parent_id', true),
      refColumn('worker_id', true),
    ],
    indices: [
      { name: 'idx_grid_cell_code', columnNames: ['code'], isUnique: true },
      { name: 'idx_grid_cell_area_level', columnNames: ['area_code', 'level'] },
      // One village/community cell per area code: Petition.gridCell relies on it.
      { name: 'idx_grid_cell_village', columnNames: ['area_code'], isUnique: true, where: 'level = 1' },
      { name: 'idx_grid_cell_parent', columnNames: ['parent_id'] },
      { name: 'idx_grid_cell_worker', columnNames: ['worker_id'] },
    ],
  },
  {
    name: 'resident_registration',
    columns: [{ ...refColumn('resident_id'), isPrimary: true }, refColumn('cell_id'), varcharColumn('care_level', 16), AREA_CODE_COLUMN],
    indices: [
      { name: 'idx_registration_cell', columnNames: ['cell_id'] },
      { name: 'idx_registration_area', columnNames: ['area_code'] },
    ],
  },
  {
    name: 'visit',
    columns: [
      ID_COLUMN,
      refColumn('resident_id'),
      refColumn('worker_id'),
      instantColumn('visited_at'),
      textColumn('notes'),
      { name: 'follow_up_needed', type: 'boolean' },
      AREA_CODE_COLUMN,
    ],
    indices: [
      { name: 'idx_visit_resident', columnNames: ['resident_id'] },
      { name: 'idx_visit_worker', columnNames: ['worker_id'] },
      { name: 'idx_visit_area', columnNames: ['area_code'] },
    ],
  },
  {
    name: 'incident',
    columns: [
      ID_COLUMN,
      refColumn('cell_id'),
      refColumn('reported_by_id'),
      varcharColumn('category', 24),
      textColumn('description'),
      varcharColumn('status', 16),
      varcharColumn('dispatched_to', 40, true),
      instantColumn('reported_at'),
      instantColumn('resolved_at', true),
      textColumn('resolution', true),
      AREA_CODE_COLUMN,
    ],
    indices: [
      { name: 'idx_incident_cell', columnNames: ['cell_id'] },
      { name: 'idx_incident_area', columnNames: ['area_code'] },
      { name: 'idx_incident_reported', columnNames: ['reported_at', 'id'] },
    ],
  },
];

export const CreateGrid1732262400000 = createTablesMigration('CreateGrid1732262400000', GRID_TABLES);
