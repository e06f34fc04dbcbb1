import type { TableOptions } from 'typeorm';
import { AREA_CODE_COLUMN, ID_COLUMN, createTablesMigration, refColumn, varcharColumn } from '../../kit/migration-tables';

/** In creation order; dropped in reverse. */
const CIVIL_AFFAIRS_TABLES: TableOptions[] = [
  {
    name: 'household',
    columns: [ID_COLUMN, AREA_CODE_COLUMN, varcharColumn('address', 200), refColumn('head_id')],
    indices: [{ name: 'idx_household_area', columnNames: ['area_code'] }],
  },
  {
    name: 'resident',
    columns: [
      ID_COLUMN,
      varcharColumn('name', 64),
      varcharColumn('gender', 8),
      { name: 'birth_date', type: 'date' },
      varcharColumn('id_number', 18),
      varcharColumn('phone', 11),
      AREA_CODE_COLUMN,
      varcharColumn('address', 200),
      refColumn('household_id', true),
    ],
    indices: [
      { name: 'idx_resident_id_number', columnNames: ['id_number'], isUnique: true },
      { name: 'idx_resident_area', columnNames: ['area_code'] },
      { name: 'idx_resident_household', columnNames: ['household_id'] },
    ],
  },
  {
    name: 'benefit',
    columns: [
      ID_COLUMN,
      refColumn('resident_id'),
      AREA_CODE_COLUMN,
      varcharColumn('type', 32),
      varcharColumn('status', 16),
      { name: 'monthly_amount', type: 'double precision' },
      { name: 'start_date', type: 'date' },
      { name: 'end_date', type: 'date', isNullable: true },
    ],
    indices: [
      { name: 'idx_benefit_resident', columnNames: ['resident_id'] },
      { name: 'idx_benefit_area_status', columnNames: ['area_code', 'status'] },
      // At most one benefit of a type that has not ended, per resident: enforced here, not only checked.
      { name: 'idx_benefit_current', columnNames: ['resident_id', 'type'], isUnique: true, where: "status <> 'ENDED'" },
    ],
  },
];

export const CreateCivilAffairs1732262400000 = createTablesMigration('CreateCivilAffairs1732262400000', CIVIL_AFFAIRS_TABLES);
