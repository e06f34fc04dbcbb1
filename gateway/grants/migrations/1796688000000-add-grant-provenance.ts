import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a grant came from and how it ended: the sharing request and the
 * providing department it was approved on, the areas it is limited to (none:
 * every area), who revoked it and why, and when its expiry was recorded.
 * Empty on grants made before, which apply as they did.
 */
export class AddGrantProvenance1796688000000 implements MigrationInterface {
  name = 'AddGrantProvenance1796688000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE "grant" ADD COLUMN request_id varchar(40)');
    await runner.query('ALTER TABLE "grant" ADD COLUMN provider varchar(40)');
    await runner.query('ALTER TABLE "grant" ADD COLUMN areas text');
    await runner.query('ALTER TABLE "grant" ADD COLUMN revoked_by text');
    await runner.query('ALTER TABLE "grant" ADD COLUMN revoked_reason text');
    await runner.query('ALTER TABLE "grant" ADD COLUMN expiry_recorded_at varchar(24)');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const column of ['expiry_recorded_at', 'revoked_reason', 'revoked_by', 'areas', 'provider', 'request_id']) {
      await runner.query(`ALTER TABLE "grant" DROP COLUMN ${column}`);
    }
  }
}
