import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only';

/**
 * The subject index as posting lists: per full bucket of records, one row per
 * key group holding the group's sorted (key, record) pairs, and a row that
 * marks the bucket complete. A row per subject, written as requests came in,
 * cost the gateway a tenth of its CPU in the benchmark (a hundred b-tree
 * inserts for a page of residents); a bucket's lists cost a few thousand
 * rows per 4,096 records. The index is derived data: the audit store
 * rebuilds it from the hashed records the first time it opens.
 */
export class SubjectPostings1732262800000 implements MigrationInterface {
  name = 'SubjectPostings1732262800000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query('DROP TABLE audit_subject_key');
    await runner.query(
      `CREATE TABLE audit_subject_posting (grp integer NOT NULL, bucket integer NOT NULL, entries ${postgres ? 'bytea' : 'blob'} NOT NULL, PRIMARY KEY (grp, bucket))${postgres ? '' : ' WITHOUT ROWID'}`,
    );
    await runner.query('CREATE TABLE audit_subject_bucket (bucket integer PRIMARY KEY, entries integer NOT NULL)');
    await makeAppendOnly(runner, 'audit_subject_posting');
    await makeAppendOnly(runner, 'audit_subject_bucket');
  }

  async down(): Promise<void> {
    throw new Error('the audit trail is never dropped by a migration');
  }
}
