import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a request came from: the client's own request id (the record's
 * request id is the gateway's), the client's address, and, on a summary
 * record that stands for many refused requests, how many. All three are
 * empty on records written before; their hashes do not include them.
 */
export class AddRequestOrigin1796601600000 implements MigrationInterface {
  name = 'AddRequestOrigin1796601600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE audit_event ADD COLUMN client_request_id text');
    await runner.query('ALTER TABLE audit_event ADD COLUMN address text');
    await runner.query('ALTER TABLE audit_event ADD COLUMN request_count integer');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE audit_event DROP COLUMN request_count');
    await runner.query('ALTER TABLE audit_event DROP COLUMN address');
    await runner.query('ALTER TABLE audit_event DROP COLUMN client_request_id');
  }
}
