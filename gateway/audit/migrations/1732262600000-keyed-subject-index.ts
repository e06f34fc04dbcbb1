import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only';

/**
 * The subject index keyed by one 64-bit number per subject (a keyed hash of
 * its type and id) in a table clustered on that key, instead of a table of
 * type and id strings with a second index over them: an eighth of the size,
 * one b-tree to update instead of two, and no raw ids of its own. The
 * benchmark found the old index costing a fifth of the gateway's CPU. The old
 * table is dropped; the audit store fills the new one from the hashed records
 * (the index is derived from them) the first time it opens.
 */
export class KeyedSubjectIndex1732262600000 implements MigrationInterface {
  name = 'KeyedSubjectIndex1732262600000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(
      `CREATE TABLE audit_subject_key (subject_key bigint NOT NULL, seq integer NOT NULL, PRIMARY KEY (subject_key, seq))${postgres ? '' : ' WITHOUT ROWID'}`,
    );
    await makeAppendOnly(runner, 'audit_subject_key');
    await runner.query('DROP TABLE audit_subject');
  }

  async down(): Promise<void> {
    throw new Error('the audit trail is never dropped by a migration');
  }
}
