import { hideNumberRuns } from '../../common/number-runs';
import { createHash, createHmac } from 'node:crypto';
import { Kind, print, visit, type DocumentNode } from 'graphql';

/**
 * The audit record: one per request, saying who asked, for what purpose,
 * what was decided for each field, whose non-public data was returned, and
 * how it ended; never a token, a cookie, a raw variable or a raw value of a
 * non-public field. Pure: the record's types, its canonical form and its
 * chain hash (docs/audit-trail.md states them).
 */
export type Outcome = 'ok' | 'partial' | 'refused' | 'error';
export type FieldVerdict = 'allow' | 'mask' | 'deny';

export interface FieldDecisionEntry {
  coordinate: string;
  decision: FieldVerdict;
  grant?: string;
}

export interface Subject {
  type: string;
  id: string;
}

export interface AuditEntry {
  at: string;
  requestId: string;
  sub: string | null;
  department: string | null;
  roles: string[];
  purpose: string | null;
  clientName: string | null;
  clientVersion: string | null;
  operationType: string | null;
  operationName: string | null;
  documentHash: string | null;
  decisions: readonly FieldDecisionEntry[];
  subjects: readonly Subject[];
  outcome: Outcome;
  status: number;
  durationMs: number;
  /** The X-Request-Id the client sent, as a label; `requestId` is always the gateway's own. */
  clientRequestId?: string | null;
  /** The client's network address, as the door saw it (behind a trusted proxy, the address it forwarded for). */
  address?: string | null;
  /** Set on a summary record only: how many requests, all ending alike, it stands for (see RefusalSummaries). */
  requestCount?: number | null;
  /** Steps of the sharing workflow the request took: which request, what was done, the reason's SHA-256. */
  steps?: readonly SharingStepEntry[] | null;
}

export interface SharingStepEntry {
  action: string;
  request: string;
  provider?: string;
  grant?: string;
  reasonHash?: string;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The newest record of a chain, by number and hash (seq 0 and GENESIS_HASH for an empty one). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Text a client chose (client name and version, operation name, request
 * id) as an inert label: any run of six or more digits replaced by `###`,
 * so that an ID number sent as a name is not kept; control characters and
 * quotes escaped, so it can never forge a line or a field wherever the
 * record is shown; and cut at `max` characters with an ellipsis.
 */
export function escapeLabel(value: string | string[] | null | undefined, max = 100): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  let escaped = '';
  // Only the start can be kept; a few characters past it, so that a number cut there is still seen whole.
  for (const char of hideNumberRuns(value.slice(0, max + 16))) {
    const piece = /[\u0000-\u001f\u007f-\u009f"\\\u2028\u2029]/.test(char)
      ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
      : char;
    // Bounded after escaping, never inside an escape: the stored label is at most `max` characters and an ellipsis.
    if (escaped.length + piece.length > max) return `${escaped}…`;
    escaped += piece;
  }
  return escaped;
}

/**
 * A keyed hash of the operation with every literal value blanked: the same
 * operation shape gives the same hash, and an ID number written inline in a
 * query cannot be recovered from the trail by trying candidates.
 */
export function documentHash(key: Buffer, document: DocumentNode): string {
  const blanked = visit(document, {
    [Kind.STRING]: (node) => ({ ...node, value: '' }),
    [Kind.INT]: (node) => ({ ...node, value: '0' }),
    [Kind.FLOAT]: (node) => ({ ...node, value: '0' }),
  });
  return createHmac('sha256', key).update(print(blanked).replace(/\s+/g, ' ')).digest('hex');
}

/** Decision lists are shared by every record of a plan: their JSON, and the reference made from it, once each. */
const storedLists = new WeakMap<readonly FieldDecisionEntry[], { json: string; ref?: string }>();

function storedList(decisions: readonly FieldDecisionEntry[]): { json: string; ref?: string } {
  let stored = storedLists.get(decisions);
  if (stored === undefined) {
    stored = { json: JSON.stringify(decisions.map((d) => [d.coordinate, d.decision, d.grant ?? null])) };
    storedLists.set(decisions, stored);
  }
  return stored;
}

/**
 * A record's subjects, made into JSON once for its hash and its row, and
 * kept on the list itself: a list is made per request, and a WeakMap kept
 * each one's JSON (kilobytes) alive, into the old generation, until a full
 * collection. A copy of the list starts without it.
 */
const STORED_JSON = Symbol('subjects as stored');
type SubjectsWithJson = readonly Subject[] & { [STORED_JSON]?: string };

function remember(subjects: SubjectsWithJson, json: string): string {
  if (Object.isExtensible(subjects)) Object.defineProperty(subjects, STORED_JSON, { value: json });
  return json;
}

/** The decisions as hashed and stored: a JSON array of [coordinate, decision, grant or null]. */
export function storedDecisions(decisions: readonly FieldDecisionEntry[]): string {
  return storedList(decisions).json;
}

/**
 * The name under which a row refers to its decision list, kept once in
 * audit_decision_list: the first 128 bits of the SHA-256 of the list's JSON,
 * in hex. The lists of an operation are the same for every caller of a class
 * (some 800 bytes each); the record's hash still covers the list itself.
 */
export function decisionListRef(decisions: readonly FieldDecisionEntry[]): string {
  const stored = storedList(decisions);
  return (stored.ref ??= createHash('sha256').update(stored.json).digest('hex').slice(0, 32));
}

/** Ids JSON writes as they are (no quote, backslash, control or non-ASCII character): UUIDs, codes, numbers. */
const PLAIN_ID = /^[\w.:-]*$/;

/**
 * A record's subjects from the ids of each type a response returned: by type,
 * then by id, each once. Their JSON, as hashed and stored, is written on the
 * way (a plain id needs no escaping), not made from the list afterwards.
 */
export function subjectList(idsByType: ReadonlyMap<string, ReadonlySet<string>>): readonly Subject[] {
  const subjects: Subject[] = [];
  let json = '';
  for (const type of [...idsByType.keys()].sort()) {
    const typeJson = JSON.stringify(type);
    for (const id of [...idsByType.get(type)!].sort()) {
      subjects.push({ type, id });
      json += (subjects.length > 1 ? ',[' : '[') + typeJson + ',' + (PLAIN_ID.test(id) ? `"${id}"` : JSON.stringify(id)) + ']';
    }
  }
  remember(subjects, `[${json}]`);
  // Frozen, so the JSON kept with it cannot fall out of step.
  return Object.freeze(subjects);
}

/** The subjects as hashed and stored: a JSON array of [type, id]. */
export function storedSubjects(subjects: readonly Subject[]): string {
  return (subjects as SubjectsWithJson)[STORED_JSON] ?? remember(subjects, JSON.stringify(subjects.map((s) => [s.type, s.id])));
}

/** A step with its keys in a fixed order, absent ones left out. */
function canonicalStep(step: SharingStepEntry): Record<string, string> {
  const canonical: Record<string, string> = { action: step.action, request: step.request };
  if (step.provider !== undefined) canonical.provider = step.provider;
  if (step.grant !== undefined) canonical.grant = step.grant;
  if (step.reasonHash !== undefined) canonical.reasonHash = step.reasonHash;
  return canonical;
}

/**
 * Where a request came from: the client's request id, its address and, on
 * a summary, its count; each only when known. Older records have none of
 * them, and their canonical form is unchanged: the object is added only
 * when there is something in it.
 */
function originOf(entry: AuditEntry): Record<string, unknown> | undefined {
  const origin: Record<string, unknown> = {};
  if (entry.clientRequestId !== null && entry.clientRequestId !== undefined) origin.clientRequestId = entry.clientRequestId;
  if (entry.address !== null && entry.address !== undefined) origin.address = entry.address;
  if (entry.requestCount !== null && entry.requestCount !== undefined) origin.requestCount = entry.requestCount;
  if (entry.steps && entry.steps.length > 0) origin.steps = entry.steps.map(canonicalStep);
  return Object.keys(origin).length > 0 ? origin : undefined;
}

/**
 * The record as hashed: fields in a fixed order, so any change to any of
 * them changes the hash. It is the JSON array of seq, at, requestId, sub,
 * department, roles, purpose, clientName, clientVersion, operationType,
 * operationName, documentHash, decisions as [coordinate, decision, grant],
 * subjects as [type, id], outcome, status and durationMs, and then, when
 * any is known, an object of clientRequestId, address, requestCount and
 * steps in that order; built around the
 * JSON of the decisions and the subjects, which the row stores as they are.
 */
export function canonicalForm(seq: number, entry: AuditEntry): string {
  return `[${seq},${canonicalTail(entry)}`;
}

/**
 * The canonical form after its number: everything but the chain's position
 * depends on the entry alone, so a writer builds it before it takes its turn
 * at the trail and only numbers and hashes it there.
 */
export function canonicalTail(entry: AuditEntry): string {
  const origin = originOf(entry);
  const head = JSON.stringify([
    entry.at,
    entry.requestId,
    entry.sub,
    entry.department,
    entry.roles,
    entry.purpose,
    entry.clientName,
    entry.clientVersion,
    entry.operationType,
    entry.operationName,
    entry.documentHash,
  ]);
  const tail = JSON.stringify(
    origin ? [entry.outcome, entry.status, entry.durationMs, origin] : [entry.outcome, entry.status, entry.durationMs],
  );
  return `${head.slice(1, -1)},${storedDecisions(entry.decisions)},${storedSubjects(entry.subjects)},${tail.slice(1)}`;
}

/** HMAC over the previous record's hash and this record's canonical form; the key lives outside the audit database. */
export function chainHash(key: Buffer, prevHash: string, canonical: string): string {
  return createHmac('sha256', key).update(`${prevHash}\n${canonical}`).digest('hex');
}

export function sealRecord(
  key: Buffer,
  seq: number,
  prevHash: string,
  entry: AuditEntry,
  tail: string = canonicalTail(entry),
): AuditRecord {
  return { ...entry, seq, prevHash, hash: chainHash(key, prevHash, `[${seq},${tail}`) };
}
