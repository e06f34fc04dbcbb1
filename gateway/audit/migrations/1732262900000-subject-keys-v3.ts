import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only';

/**
 * The subject index keyed by a seeded cyrb53 instead of SHA-256 (see
 * subjectKeyer): every posting list written under the old keys is dropped
 * with its table. The index is derived data; the audit store rebuilds it
 * from the hashed records when it next opens. Dropping, not deleting: both
 * tables refuse DELETE. The tables are defined again here, as in
 * SubjectPostings, on purpose: a migration is a snapshot of its day, not a
 * caller of code that may change after it has run.
 */
export class SubjectKeysV31732262900000 implements MigrationInterface {
  name = 'SubjectKeysV31732262900000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query('DROP TABLE audit_subject_posting');
    await runner.query('DROP TABLE audit_subject_bucket');
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
