/**
 * Checks the sharing workflow's history against the audit trail, for
 * `npm run audit:verify`: every step a request's history holds has the
 * audit record that took it, naming that step with the SHA-256 of its
 * reason; and every step an audit record names is in the history. The chain
 * proves the records are as written; this proves the history agrees with
 * them, so that a step removed, added or reworded in the workflow's tables
 * is found.
 */
import type { DataSource } from 'typeorm';
import type { SharingStepEntry } from '../audit/audit-record';
import { reasonHash } from './sharing-service';

export interface StepsVerdict {
  /** Steps in the workflow's history. */
  steps: number;
  /** What disagrees, at most MAX_PROBLEMS of it. */
  problems: string[];
}

const MAX_PROBLEMS = 10;

interface StepRow {
  request_id: string;
  seq: number;
  action: string;
  provider: string | null;
  grant_id: string | null;
  reason: string | null;
  audit_request_id: string | null;
}

export async function verifySharingSteps(dataSource: DataSource): Promise<StepsVerdict> {
  const steps = (await dataSource.query(
    'SELECT request_id, seq, action, provider, grant_id, reason, audit_request_id FROM sharing_step ORDER BY request_id, seq',
  )) as StepRow[];
  const recorded = new Map<string, SharingStepEntry[]>();
  for (const row of (await dataSource.query('SELECT request_id, steps FROM audit_event WHERE steps IS NOT NULL')) as {
    request_id: string;
    steps: string;
  }[]) {
    recorded.set(row.request_id, JSON.parse(row.steps) as SharingStepEntry[]);
  }
  const problems: string[] = [];
  const note = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  // Each entry of a record stands for one step: two revocations in one request are two entries.
  const used = new Set<SharingStepEntry>();
  const sameStep = (entry: SharingStepEntry, step: StepRow) =>
    entry.action === step.action &&
    entry.request === step.request_id &&
    (entry.provider === undefined || entry.provider === step.provider) &&
    (step.grant_id === null || (entry.grant ?? '').split(',').includes(step.grant_id));
  for (const step of steps) {
    const name = `step ${step.seq} (${step.action}) of ${step.request_id}`;
    const entries = step.audit_request_id === null ? undefined : recorded.get(step.audit_request_id);
    const entry = entries?.find((candidate) => !used.has(candidate) && sameStep(candidate, step));
    if (!entry) {
      note(`${name} has no audit record naming it`);
      continue;
    }
    used.add(entry);
    if (entry.reasonHash !== reasonHash(step.reason)) note(`${name}: its reason is not the one its audit record hashed`);
  }
  for (const [requestId, entries] of recorded) {
    for (const entry of entries) {
      // A revocation of a grant made by hand belongs to no request.
      if (entry.request === '' || used.has(entry)) continue;
      note(`audit record ${requestId} names ${entry.action} of ${entry.request}, which the request's history does not hold`);
    }
  }
  return { steps: steps.length, problems };
}
