import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_write_probe: one row the gateway rewrites when asked whether it is
 * ready, so that readiness rests on a write the store took just now rather
 * than on how the last audit commit went. It holds no record and is not
 * part of the chain.
 */
export class CreateWriteProbe1796515200000 implements MigrationInterface {
  name = 'CreateWriteProbe1796515200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE audit_write_probe (id integer PRIMARY KEY NOT NULL, probed_at bigint NOT NULL)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_write_probe');
  }
}
