import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const ref = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '36', isNullable });
const areaCode = { name: 'area_code', type: 'varchar', length: '12' };
const instant = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '24', isNullable });

export class CreateGrid1732262400000 implements MigrationInterface {
  name = 'CreateGrid1732262400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'grid_worker',
        columns: [id, { name: 'name', type: 'varchar', length: '64' }, { name: 'phone', type: 'varchar', length: '11' }, areaCode],
        indices: [{ name: 'idx_grid_worker_area', columnNames: ['area_code'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'grid_cell',
        columns: [
          id,
          { name: 'code', type: 'varchar', length: '16' },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'level', type: 'integer' },
          areaCode,
          ref('parent_id', true),
          ref('worker_id', true),
        ],
        indices: [
          { name: 'idx_grid_cell_code', columnNames: ['code'], isUnique: true },
          { name: 'idx_grid_cell_area_level', columnNames: ['area_code', 'level'] },
          // One village/community cell per area code: Petition.gridCell relies on it.
          { name: 'idx_grid_cell_village', columnNames: ['area_code'], isUnique: true, where: 'level = 1' },
          { name: 'idx_grid_cell_parent', columnNames: ['parent_id'] },
          { name: 'idx_grid_cell_worker', columnNames: ['worker_id'] },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'resident_registration',
        columns: [{ ...ref('resident_id'), isPrimary: true }, ref('cell_id'), { name: 'care_level', type: 'varchar', length: '16' }, areaCode],
        indices: [
          { name: 'idx_registration_cell', columnNames: ['cell_id'] },
          { name: 'idx_registration_area', columnNames: ['area_code'] },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'visit',
        columns: [
          id,
          ref('resident_id'),
          ref('worker_id'),
          instant('visited_at'),
          { name: 'notes', type: 'text' },
          { name: 'follow_up_needed', type: 'boolean' },
          areaCode,
        ],
        indices: [
          { name: 'idx_visit_resident', columnNames: ['resident_id'] },
          { name: 'idx_visit_worker', columnNames: ['worker_id'] },
          { name: 'idx_visit_area', columnNames: ['area_code'] },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'incident',
        columns: [
          id,
          ref('cell_id'),
          ref('reported_by_id'),
          { name: 'category', type: 'varchar', length: '24' },
          { name: 'description', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'dispatched_to', type: 'varchar', length: '40', isNullable: true },
          instant('reported_at'),
          instant('resolved_at', true),
          { name: 'resolution', type: 'text', isNullable: true },
          areaCode,
        ],
        indices: [
          { name: 'idx_incident_cell', columnNames: ['cell_id'] },
          { name: 'idx_incident_area', columnNames: ['area_code'] },
          { name: 'idx_incident_reported', columnNames: ['reported_at', 'id'] },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['incident', 'visit', 'resident_registration', 'grid_cell', 'grid_worker']) await runner.dropTable(table);
  }
}
