import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { parseDecisions, parseSubjects, type AuditRecord, type FieldDecisionEntry, type Subject } from './audit-record';
import { PackedSubjectsError, unpackSubjects } from './packed-subjects';

/**
 * Reading audit rows back into records (verification, steward queries, the
 * subject index). A row names its decision list, kept once in
 * audit_decision_list, and packs its subjects; rows written before
 * 2026-11-23 hold both as JSON instead. Rows are read with their lists:
 * `SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS}`, or auditRowQuery.
 */
export const AUDIT_ROWS = 'audit_event e LEFT JOIN audit_decision_list l ON l.ref = e.decisions_ref';
export const AUDIT_ROW_COLUMNS = 'e.*, l.decisions AS listed_decisions';

/** Audit rows with their decision lists, as a query to add conditions to (the row alias is `e`). */
export function auditRowQuery(dataSource: DataSource): SelectQueryBuilder<Record<string, unknown>> {
  return dataSource
    .createQueryBuilder()
    .select('e.*')
    .addSelect('l.decisions', 'listed_decisions')
    .from('audit_event', 'e')
    .leftJoin('audit_decision_list', 'l', 'l.ref = e.decisions_ref');
}

/** A stored record that cannot be read whole: its decision list is gone, or its packed subjects are malformed. */
export class UnreadableRecordError extends Error {
  constructor(
    readonly seq: number,
    detail: string,
  ) {
    super(`audit record ${seq} cannot be read: ${detail}`);
  }
}

function decisionsOf(row: Record<string, unknown>, seq: number): FieldDecisionEntry[] {
  if (row.decisions_ref === null || row.decisions_ref === undefined) return parseDecisions(String(row.decisions));
  if (!('listed_decisions' in row)) throw new Error('audit rows must be read with their decision lists (AUDIT_ROWS)');
  if (row.listed_decisions === null) throw new UnreadableRecordError(seq, `its decision list ${String(row.decisions_ref)} is missing`);
  return parseDecisions(String(row.listed_decisions));
}

/** A row's subjects, packed or (rows written before, or text packing cannot carry) as JSON. */
export function subjectsOf(row: Record<string, unknown>): Subject[] {
  if (row.subject_ids === null || row.subject_ids === undefined) return parseSubjects(String(row.subjects));
  try {
    return unpackSubjects(row.subject_ids as Uint8Array);
  } catch (error) {
    if (error instanceof PackedSubjectsError) throw new UnreadableRecordError(Number(row.seq), error.message);
    throw error;
  }
}

/** A stored row as the record it was sealed as; throws UnreadableRecordError if it cannot be. */
export function fromRow(row: Record<string, unknown>): AuditRecord {
  const seq = Number(row.seq);
  try {
    return {
      seq,
      at: String(row.at),
      requestId: String(row.request_id),
      sub: (row.sub as string | null) ?? null,
      department: (row.department as string | null) ?? null,
      roles: JSON.parse(String(row.roles)) as string[],
      purpose: (row.purpose as string | null) ?? null,
      clientName: (row.client_name as string | null) ?? null,
      clientVersion: (row.client_version as string | null) ?? null,
      operationType: (row.operation_type as string | null) ?? null,
      operationName: (row.operation_name as string | null) ?? null,
      documentHash: (row.document_hash as string | null) ?? null,
      decisions: decisionsOf(row, seq),
      subjects: subjectsOf(row),
      outcome: row.outcome as AuditRecord['outcome'],
      status: Number(row.status),
      durationMs: Number(row.duration_ms),
      prevHash: String(row.prev_hash),
      hash: String(row.hash),
    };
  } catch (error) {
    // JSON the store wrote always parses: a column that does not was written by someone else.
    if (error instanceof SyntaxError) throw new UnreadableRecordError(seq, 'a column holds JSON that does not parse');
    throw error;
  }
}
