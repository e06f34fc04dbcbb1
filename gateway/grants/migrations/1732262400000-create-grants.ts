import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateGrants1732262400000 implements MigrationInterface {
  name = 'CreateGrants1732262400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'grant',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'consumer', type: 'varchar', length: '40' },
          { name: 'fields', type: 'text' },
          { name: 'purposes', type: 'text' },
          { name: 'masked', type: 'text' },
          { name: 'valid_from', type: 'varchar', length: '24' },
          { name: 'valid_until', type: 'varchar', length: '24' },
          { name: 'revoked_at', type: 'varchar', length: '24', isNullable: true },
        ],
        indices: [{ name: 'idx_grant_consumer', columnNames: ['consumer'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('grant');
  }
}
