import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The steps of the sharing workflow a request took (which request, what
 * was done, the reason's hash), as JSON; empty on every other record, and
 * on records written before, whose hashes do not include it.
 */
export class AddSharingSteps1796688000001 implements MigrationInterface {
  name = 'AddSharingSteps1796688000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE audit_event ADD COLUMN steps text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE audit_event DROP COLUMN steps');
  }
}
