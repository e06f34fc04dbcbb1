import type { Decision } from '../access/policy';
import type { AuditEntry, FieldDecisionEntry, Outcome, Subject } from './audit-record';

/** What the gateway learned of a request, however far it got. */
export interface RequestFacts {
  startedAt: number;
  requestId: string;
  caller?: { sub: string; department: string; roles: string[] };
  purpose?: string;
  clientName: string | null;
  clientVersion: string | null;
  operationType?: string | null;
  operationName?: string | null;
  documentHash?: string | null;
  decisions?: ReadonlyMap<string, Decision>;
}

const VERDICT = { ALLOW: 'allow', MASK: 'mask', DENY: 'deny' } as const;

/** Builds the record of one request: ids, codes and decisions, never a value the caller sent or received. */
export function buildAuditEntry(facts: RequestFacts, outcome: Outcome, status: number, subjects: Iterable<string> = [], now = Date.now()): AuditEntry {
  const decisions: FieldDecisionEntry[] = [...(facts.decisions ?? new Map<string, Decision>())]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([coordinate, decision]) => ({ coordinate, decision: VERDICT[decision.action], ...(decision.grant ? { grant: decision.grant } : {}) }));
  const subjectList: Subject[] = [...subjects].sort().map((key) => {
    const colon = key.indexOf(':');
    return { type: key.slice(0, colon), id: key.slice(colon + 1) };
  });
  return {
    at: new Date(facts.startedAt).toISOString(),
    requestId: facts.requestId,
    sub: facts.caller?.sub ?? null,
    department: facts.caller?.department ?? null,
    roles: facts.caller?.roles ?? [],
    purpose: facts.purpose ?? null,
    clientName: facts.clientName,
    clientVersion: facts.clientVersion,
    operationType: facts.operationType ?? null,
    operationName: facts.operationName ?? null,
    documentHash: facts.documentHash ?? null,
    decisions,
    subjects: subjectList,
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
