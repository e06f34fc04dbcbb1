import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from '../../audit/migrations/append-only';

/**
 * The sharing lifecycle: requests, the part of each request one providing
 * department answers, and every step taken, in order (append-only). Times
 * are ISO instants (UTC); lists are JSON text.
 */
export class CreateSharingRequests1796688000002 implements MigrationInterface {
  name = 'CreateSharingRequests1796688000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE sharing_request (
      id varchar(40) PRIMARY KEY NOT NULL,
      consumer varchar(40) NOT NULL,
      requested_by text NOT NULL,
      fields text NOT NULL,
      purposes text NOT NULL,
      masked text NOT NULL,
      areas text,
      scenario text NOT NULL,
      basis text NOT NULL,
      valid_until varchar(24) NOT NULL,
      status varchar(16) NOT NULL,
      created_at varchar(24) NOT NULL,
      due_at varchar(24),
      due_date varchar(10),
      due_estimated boolean,
      version integer NOT NULL
    )`);
    await runner.query('CREATE INDEX idx_sharing_request_consumer ON sharing_request (consumer, created_at)');
    await runner.query('CREATE INDEX idx_sharing_request_status ON sharing_request (status, due_at)');
    await runner.query(`CREATE TABLE sharing_part (
      request_id varchar(40) NOT NULL,
      provider varchar(40) NOT NULL,
      fields text NOT NULL,
      status varchar(16) NOT NULL,
      due_at varchar(24),
      due_date varchar(10),
      due_estimated boolean,
      grant_id varchar(64),
      PRIMARY KEY (request_id, provider)
    )`);
    await runner.query('CREATE INDEX idx_sharing_part_provider ON sharing_part (provider, status)');
    await runner.query(`CREATE TABLE sharing_step (
      request_id varchar(40) NOT NULL,
      seq integer NOT NULL,
      at varchar(24) NOT NULL,
      actor text NOT NULL,
      actor_department varchar(40),
      action varchar(16) NOT NULL,
      provider varchar(40),
      reason text,
      conditions text,
      grant_id varchar(64),
      audit_request_id varchar(64),
      PRIMARY KEY (request_id, seq)
    )`);
    // A request's history is kept as written, like the audit trail it agrees with.
    await makeAppendOnly(runner, 'sharing_step');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE sharing_step');
    await runner.query('DROP TABLE sharing_part');
    await runner.query('DROP TABLE sharing_request');
  }
}
