import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const instant = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '24', isNullable });

export class CreatePetitions1732262400000 implements MigrationInterface {
  name = 'CreatePetitions1732262400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'petition',
        columns: [
          id,
          { name: 'tracking_number', type: 'varchar', length: '24' },
          { name: 'petitioner_id', type: 'varchar', length: '36' },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'category', type: 'varchar', length: '32' },
          { name: 'subject', type: 'varchar', length: '100' },
          { name: 'content', type: 'text' },
          { name: 'area_code', type: 'varchar', length: '12' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'risk_level', type: 'varchar', length: '8' },
          { name: 'assigned_department', type: 'varchar', length: '40', isNullable: true },
          instant('received_at'),
          instant('acceptance_due_at'),
          instant('accepted_at', true),
          instant('response_due_at', true),
          instant('responded_at', true),
          { name: 'response', type: 'text', isNullable: true },
          { name: 'satisfaction', type: 'varchar', length: '24', isNullable: true },
        ],
        indices: [
          { name: 'idx_petition_tracking', columnNames: ['tracking_number'], isUnique: true },
          { name: 'idx_petition_petitioner', columnNames: ['petitioner_id'] },
          { name: 'idx_petition_area', columnNames: ['area_code'] },
          { name: 'idx_petition_received', columnNames: ['received_at', 'id'] },
          { name: 'idx_petition_status', columnNames: ['status'] },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'petition_step',
        columns: [
          id,
          { name: 'petition_id', type: 'varchar', length: '36' },
          { name: 'seq', type: 'integer' },
          instant('at'),
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'department', type: 'varchar', length: '40' },
          { name: 'note', type: 'text', isNullable: true },
        ],
        indices: [{ name: 'idx_petition_step_petition', columnNames: ['petition_id', 'seq'], isUnique: true }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('petition_step');
    await runner.dropTable('petition');
  }
}
