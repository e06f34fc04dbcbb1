import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only';

/**
 * The audit trail's tables, append-only in the database itself:
 *
 * - audit_event, one row per record. The row names its decision list by
 *   reference (decisions_ref) instead of repeating it, and keeps its subjects
 *   packed (subject_ids), so that several rows share a database page.
 *   `subjects` holds their JSON only for a list packing cannot carry (text
 *   UTF-8 cannot hold unchanged); exactly one of the two is set.
 * - audit_decision_list, each decision list once: the lists of an operation
 *   are the same for every caller of a class.
 * - audit_subject_posting and audit_subject_bucket, the subject index: per
 *   full bucket of records one posting list per key group, written once,
 *   then the row that marks the bucket complete. Clustered on (group,
 *   bucket), so a subject's history is one index range.
 *
 * The subject index is derived from the hashed records: a migration that
 * changes its keys drops both tables, and the audit store rebuilds them
 * from the records when it next opens.
 */
export class CreateAuditTrail1732262500000 implements MigrationInterface {
  name = 'CreateAuditTrail1732262500000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const bytes = postgres ? 'bytea' : 'blob';
    const clustered = postgres ? '' : ' WITHOUT ROWID';
    await runner.query(`CREATE TABLE audit_event (
      seq integer PRIMARY KEY NOT NULL,
      at varchar(24) NOT NULL,
      request_id text NOT NULL,
      sub text,
      department text,
      roles text NOT NULL,
      purpose varchar(32),
      client_name text,
      client_version text,
      operation_type varchar(16),
      operation_name text,
      document_hash varchar(64),
      decisions_ref varchar(32) NOT NULL,
      subject_ids ${bytes},
      subjects text,
      outcome varchar(16) NOT NULL,
      status integer NOT NULL,
      duration_ms integer NOT NULL,
      prev_hash varchar(64) NOT NULL,
      hash varchar(64) NOT NULL,
      CHECK ((subject_ids IS NULL) <> (subjects IS NULL))
    )`);
    await runner.query('CREATE INDEX idx_audit_at ON audit_event (at)');
    await runner.query('CREATE INDEX idx_audit_sub ON audit_event (sub)');
    await runner.query(`CREATE TABLE audit_decision_list (ref varchar(32) PRIMARY KEY, decisions text NOT NULL)${clustered}`);
    await runner.query(
      `CREATE TABLE audit_subject_posting (grp integer NOT NULL, bucket integer NOT NULL, entries ${bytes} NOT NULL, PRIMARY KEY (grp, bucket))${clustered}`,
    );
    await runner.query('CREATE TABLE audit_subject_bucket (bucket integer PRIMARY KEY, entries integer NOT NULL)');
    for (const table of ['audit_event', 'audit_decision_list', 'audit_subject_posting', 'audit_subject_bucket'])
      await makeAppendOnly(runner, table);
  }

  async down(): Promise<void> {
    throw new Error('the audit trail is never dropped by a migration');
  }
}
