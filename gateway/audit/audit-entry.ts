import type { Decision } from '../access/policy';
import type { RequestFacts } from '../request/request-context';
import { randomUUID } from 'node:crypto';
import { subjectList, type AuditEntry, type FieldDecisionEntry, type Outcome, type SharingStepEntry } from './audit-record';

const VERDICT = { ALLOW: 'allow', MASK: 'mask', DENY: 'deny' } as const;

/**
 * The decisions of an operation as a record lists them, sorted by coordinate.
 * Made once per plan (the plan's decisions are cached per operation and
 * caller class) and shared by every record of it, hence frozen.
 */
const decisionLists = new WeakMap<ReadonlyMap<string, Decision>, readonly FieldDecisionEntry[]>();

function decisionList(decisions: ReadonlyMap<string, Decision> | undefined): readonly FieldDecisionEntry[] {
  if (!decisions) return [];
  let list = decisionLists.get(decisions);
  if (!list) {
    list = Object.freeze(
      [...decisions]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([coordinate, decision]) =>
          Object.freeze({ coordinate, decision: VERDICT[decision.action], ...(decision.grant ? { grant: decision.grant } : {}) }),
        ),
    );
    decisionLists.set(decisions, list);
  }
  return list;
}

const NO_SUBJECTS: ReadonlyMap<string, ReadonlySet<string>> = new Map();

/**
 * The record of something the gateway did by itself, with no request to
 * answer: recording a grant's expiry, or the sandbox's sample history.
 */
export function systemEntry(
  operationName: string,
  steps: readonly SharingStepEntry[],
  requestId: string = randomUUID(),
  now = Date.now(),
): AuditEntry {
  return {
    at: new Date(now).toISOString(),
    requestId,
    sub: 'govgraph',
    department: null,
    roles: [],
    purpose: null,
    clientName: null,
    clientVersion: null,
    operationType: 'system',
    operationName,
    documentHash: null,
    decisions: [],
    subjects: [],
    outcome: 'ok',
    status: 200,
    durationMs: 0,
    steps,
  };
}

/**
 * The request each entry was made for (its facts, one object per request),
 * so that the store keeps one record per request: a request cut off at
 * shutdown is recorded from the stop path, and whatever its handler records
 * when it gets to finish is then a second record of it (AuditStore).
 */
const requests = new WeakMap<AuditEntry, object>();

/** The request an entry was made for, if it was made from a request's facts. */
export function requestOf(entry: AuditEntry): object | undefined {
  return requests.get(entry);
}

/** A request's record changed after the fact (a withheld response's), still the record of that request. */
export function amendEntry(entry: AuditEntry, changes: Partial<AuditEntry>): AuditEntry {
  const amended = { ...entry, ...changes };
  const request = requests.get(entry);
  if (request) requests.set(amended, request);
  return amended;
}

/** Builds the record of one request: ids, codes and decisions, never a value the caller sent or received. */
export function buildAuditEntry(
  facts: RequestFacts,
  outcome: Outcome,
  status: number,
  idsByType: ReadonlyMap<string, ReadonlySet<string>> = NO_SUBJECTS,
  now = Date.now(),
): AuditEntry {
  const entry: AuditEntry = {
    at: new Date(facts.startedAt).toISOString(),
    requestId: facts.requestId,
    clientRequestId: facts.clientRequestId,
    address: facts.address,
    steps: facts.events ?? null,
    sub: facts.caller?.sub ?? null,
    department: facts.caller?.department ?? null,
    roles: facts.caller?.roles ?? [],
    purpose: facts.purpose ?? null,
    clientName: facts.clientName,
    clientVersion: facts.clientVersion,
    operationType: facts.operationType ?? null,
    operationName: facts.operationName ?? null,
    documentHash: facts.documentHash ?? null,
    decisions: decisionList(facts.decisions),
    subjects: subjectList(idsByType),
    outcome,
    status,
    durationMs: Math.max(0, Math.round(now - facts.startedAt)),
  };
  requests.set(entry, facts);
  return entry;
}

export function outcomeOf(status: number, hasData: boolean, hasErrors: boolean): Outcome {
  if (status >= 500) return 'error';
  if (status === 401 || status === 403 || (status === 400 && !hasData)) return status === 400 ? 'error' : 'refused';
  if (!hasErrors) return 'ok';
  return hasData ? 'partial' : 'error';
}
