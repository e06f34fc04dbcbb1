import type { DataSource, SelectQueryBuilder } from 'typeorm';
import {
  decisionListRef,
  storedSubjects,
  type AuditRecord,
  type FieldDecisionEntry,
  type FieldVerdict,
  type SharingStepEntry,
  type Subject,
} from './audit-record';
import { PackedSubjectsError, packSubjects, unpackSubjects } from './packed-subjects';

/**
 * The audit trail's row format, both ways; no module outside gateway/audit/
 * reads or writes these tables. A row names its decision list (kept once, in
 * audit_decision_list) by reference and packs its subjects; `subjects` holds
 * their JSON instead only when packing cannot carry them. The record is
 * hashed in its JSON form either way: the row is only how it is kept.
 */

/** The columns a record is written to, in the order toRow() gives their values. */
export const AUDIT_COLUMNS = [
  'seq',
  'at',
  'request_id',
  'sub',
  'department',
  'roles',
  'purpose',
  'client_name',
  'client_version',
  'operation_type',
  'operation_name',
  'document_hash',
  'decisions_ref',
  'subject_ids',
  'subjects',
  'outcome',
  'status',
  'duration_ms',
  'client_request_id',
  'address',
  'request_count',
  'steps',
  'prev_hash',
  'hash',
] as const;

/** A record as its row stores it, value for value with AUDIT_COLUMNS. */
export function toRow(record: AuditRecord): unknown[] {
  const packed = packSubjects(record.subjects);
  return [
    record.seq,
    record.at,
    record.requestId,
    record.sub,
    record.department,
    JSON.stringify(record.roles),
    record.purpose,
    record.clientName,
    record.clientVersion,
    record.operationType,
    record.operationName,
    record.documentHash,
    decisionListRef(record.decisions),
    packed,
    packed ? null : storedSubjects(record.subjects),
    record.outcome,
    record.status,
    record.durationMs,
    record.clientRequestId ?? null,
    record.address ?? null,
    record.requestCount ?? null,
    record.steps && record.steps.length > 0 ? JSON.stringify(record.steps) : null,
    record.prevHash,
    record.hash,
  ];
}

/** Audit rows with their decision lists, as plain SQL: `SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS}`; read them with fromRow(). */
export const AUDIT_ROWS = 'audit_event e LEFT JOIN audit_decision_list l ON l.ref = e.decisions_ref';
export const AUDIT_ROW_COLUMNS = 'e.*, l.decisions AS listed_decisions';

/** Audit rows with their decision lists, as a query to add conditions to (the row alias is `e`); read them with fromRow(). */
export function auditRowQuery(dataSource: DataSource): SelectQueryBuilder<Record<string, unknown>> {
  return dataSource
    .createQueryBuilder()
    .select('e.*')
    .addSelect('l.decisions', 'listed_decisions')
    .from('audit_event', 'e')
    .leftJoin('audit_decision_list', 'l', 'l.ref = e.decisions_ref');
}

/** A stored record that cannot be read whole: its decision list is gone, or its subjects are malformed. */
export class UnreadableRecordError extends Error {
  constructor(
    readonly seq: number,
    detail: string,
  ) {
    super(`audit record ${seq} cannot be read: ${detail}`);
  }
}

/** A decision list as stored: a JSON array of [coordinate, decision, grant or null]. */
function parseDecisions(text: string): FieldDecisionEntry[] {
  return (JSON.parse(text) as [string, FieldVerdict, string | null][]).map(([coordinate, decision, grant]) => ({
    coordinate,
    decision,
    ...(grant === null ? {} : { grant }),
  }));
}

function decisionsOf(row: Record<string, unknown>, seq: number): FieldDecisionEntry[] {
  if (!('listed_decisions' in row)) throw new Error('audit rows must be read with their decision lists (auditRowQuery)');
  if (row.listed_decisions === null) throw new UnreadableRecordError(seq, `its decision list ${String(row.decisions_ref)} is missing`);
  return parseDecisions(String(row.listed_decisions));
}

/** A row's subjects: packed, or (text packing cannot carry) a JSON array of [type, id]. */
export function subjectsOf(row: Record<string, unknown>): Subject[] {
  const seq = Number(row.seq);
  if (row.subject_ids !== null && row.subject_ids !== undefined) {
    try {
      return unpackSubjects(row.subject_ids as Uint8Array);
    } catch (error) {
      if (error instanceof PackedSubjectsError) throw new UnreadableRecordError(seq, error.message);
      throw error;
    }
  }
  if (typeof row.subjects !== 'string') throw new UnreadableRecordError(seq, 'it holds no subject list');
  const pairs: unknown = JSON.parse(row.subjects);
  if (!Array.isArray(pairs)) throw new UnreadableRecordError(seq, 'its subject list is not a list');
  return (pairs as [string, string][]).map(([type, id]) => ({ type, id }));
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
      clientRequestId: (row.client_request_id as string | null | undefined) ?? null,
      address: (row.address as string | null | undefined) ?? null,
      requestCount: row.request_count === null || row.request_count === undefined ? null : Number(row.request_count),
      steps: typeof row.steps === 'string' ? (JSON.parse(row.steps) as SharingStepEntry[]) : null,
      prevHash: String(row.prev_hash),
      hash: String(row.hash),
    };
  } catch (error) {
    // JSON the store wrote always parses, into lists: a column that does not was written by someone else.
    if (error instanceof SyntaxError || error instanceof TypeError)
      throw new UnreadableRecordError(seq, 'a column holds JSON that is not what the store writes');
    throw error;
  }
}
