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
const PETITIONS_TABLES: TableOptions[] = [
  {
    name: 'petition',
    columns: [
      ID_COLUMN,
      varcharColumn('tracking_number', 24),
      refColumn('petitioner_id'),
      varcharColumn('channel', 16),
      varcharColumn('category', 32),
      varcharColumn('subject', 100),
      textColumn('content'),
      AREA_CODE_COLUMN,
      varcharColumn('status', 16),
      varcharColumn('risk_level', 8),
      varcharColumn('assigned_department', 40, true),
      instantColumn('received_at'),
      instantColumn('acceptance_due_at'),
      instantColumn('accepted_at', true),
      instantColumn('response_due_at', true),
      instantColumn('responded_at', true),
      textColumn('response', true),
      varcharColumn('satisfaction', 24, true),
    ],
    indices: [
      { name: 'idx_petition_tracking', columnNames: ['tracking_number'], isUnique: true },
      { name: 'idx_petition_petitioner', columnNames: ['petitioner_id'] },
      { name: 'idx_petition_area', columnNames: ['area_code'] },
      { name: 'idx_petition_received', columnNames: ['received_at', 'id'] },
      { name: 'idx_petition_status', columnNames: ['status'] },
    ],
  },
  {
    name: 'petition_step',
    columns: [
      ID_COLUMN,
      refColumn('petition_id'),
      { name: 'seq', type: 'integer' },
      instantColumn('at'),
      varcharColumn('action', 16),
      varcharColumn('department', 40),
      textColumn('note', true),
    ],
    indices: [{ name: 'idx_petition_step_petition', columnNames: ['petition_id', 'seq'], isUnique: true }],
  },
];

export const CreatePetitions1732262400000 = createTablesMigration('CreatePetitions1732262400000', PETITIONS_TABLES);
