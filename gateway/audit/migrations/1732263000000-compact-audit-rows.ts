import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only';

/**
 * Smaller audit rows, so several share a database page: a row names its
 * decision list (kept once, in audit_decision_list) by reference instead of
 * repeating it, and keeps its subjects packed (subject_ids) instead of as
 * JSON. Rows written before keep their JSON in decisions and subjects and
 * the new columns empty; nothing already written is rewritten.
 */
export class CompactAuditRows1732263000000 implements MigrationInterface {
  name = 'CompactAuditRows1732263000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(`CREATE TABLE audit_decision_list (ref varchar(32) PRIMARY KEY, decisions text NOT NULL)${postgres ? '' : ' WITHOUT ROWID'}`);
    await makeAppendOnly(runner, 'audit_decision_list');
    await runner.query('ALTER TABLE audit_event ADD COLUMN decisions_ref varchar(32)');
    await runner.query(`ALTER TABLE audit_event ADD COLUMN subject_ids ${postgres ? 'bytea' : 'blob'}`);
  }

  async down(): Promise<void> {
    throw new Error('the audit trail is never dropped by a migration');
  }
}
