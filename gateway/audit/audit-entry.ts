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

/** Builds the record of one request: ids, codes and decisions, never a value the caller sent or received. */
export function buildAuditEntry(
  facts: RequestFacts,
  outcome: Outcome,
  status: number,
  idsByType: ReadonlyMap<string, ReadonlySet<string>> = NO_SUBJECTS,
  now = Date.now(),
): AuditEntry {
  return {
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
}

export function outcomeOf(status: number, hasData: boolean, hasErrors: boolean): Outcome {
  if (status >= 500) return 'error';
  if (status === 401 || status === 403 || (status === 400 && !hasData)) return status === 400 ? 'error' : 'refused';
  if (!hasErrors) return 'ok';
  return hasData ? 'partial' : 'error';
}
