import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only';

const text = (name: string, isNullable = true) => ({ name, type: 'text', isNullable });
const short = (name: string, length = '64', isNullable = true) => ({ name, type: 'varchar', length, isNullable });

/** The audit trail: append-only, refused UPDATE and DELETE by the database itself. */
export class CreateAudit1732262500000 implements MigrationInterface {
  name = 'CreateAudit1732262500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true },
          short('at', '24', false),
          text('request_id', false),
          text('sub'),
          text('department'),
          text('roles', false),
          short('purpose', '32'),
          // Free text of any length: a record must always fit, or it would block the trail behind it.
          text('client_name'),
          text('client_version'),
          short('operation_type', '16'),
          text('operation_name'),
          short('document_hash'),
          text('decisions', false),
          text('subjects', false),
          short('outcome', '16', false),
          { name: 'status', type: 'integer' },
          { name: 'duration_ms', type: 'integer' },
          short('prev_hash', '64', false),
          short('hash', '64', false),
        ],
        indices: [
          { name: 'idx_audit_at', columnNames: ['at'] },
          { name: 'idx_audit_sub', columnNames: ['sub'] },
        ],
      }),
    );
    // One subject of one record per row, so "who saw resident X" is an index lookup.
    await runner.createTable(
      new Table({
        name: 'audit_subject',
        columns: [{ name: 'seq', type: 'integer' }, short('subject_type', '64', false), short('subject_id', '64', false)],
        indices: [{ name: 'idx_audit_subject', columnNames: ['subject_type', 'subject_id', 'seq'] }],
      }),
    );
    for (const table of ['audit_event', 'audit_subject']) await makeAppendOnly(runner, table);
  }

  async down(): Promise<void> {
    throw new Error('the audit trail is never dropped by a migration');
  }
}
