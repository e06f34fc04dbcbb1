import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_verification: the outcome of the last `npm run audit:verify`, one
 * row, rewritten by each run, for stewards to see how recently the trail
 * was found intact. It is not part of the chain.
 */
export class CreateVerificationRecord1796688000003 implements MigrationInterface {
  name = 'CreateVerificationRecord1796688000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'CREATE TABLE audit_verification (id integer PRIMARY KEY NOT NULL, at varchar(24) NOT NULL, intact boolean NOT NULL, records integer NOT NULL, detail text)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_verification');
  }
}
