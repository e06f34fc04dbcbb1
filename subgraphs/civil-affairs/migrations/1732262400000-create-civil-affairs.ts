import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const areaCode = { name: 'area_code', type: 'varchar', length: '12' };

export class CreateCivilAffairs1732262400000 implements MigrationInterface {
  name = 'CreateCivilAffairs1732262400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'household',
        columns: [id, areaCode, { name: 'address', type: 'varchar', length: '200' }, { name: 'head_id', type: 'varchar', length: '36' }],
        indices: [{ name: 'idx_household_area', columnNames: ['area_code'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'resident',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'gender', type: 'varchar', length: '8' },
          { name: 'birth_date', type: 'date' },
          { name: 'id_number', type: 'varchar', length: '18' },
          { name: 'phone', type: 'varchar', length: '11' },
          areaCode,
          { name: 'address', type: 'varchar', length: '200' },
          { name: 'household_id', type: 'varchar', length: '36', isNullable: true },
        ],
        indices: [
          { name: 'idx_resident_id_number', columnNames: ['id_number'], isUnique: true },
          { name: 'idx_resident_area', columnNames: ['area_code'] },
          { name: 'idx_resident_household', columnNames: ['household_id'] },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'benefit',
        columns: [
          id,
          { name: 'resident_id', type: 'varchar', length: '36' },
          areaCode,
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'status', type: 'varchar', length: '16' },
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
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('benefit');
    await runner.dropTable('resident');
    await runner.dropTable('household');
  }
}
