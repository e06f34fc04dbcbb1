/**
 * How the gateway's stop() spends SHUTDOWN_TIMEOUT_MS. Requests in flight
 * get most of it; the audit keeps a share at the end that no request can
 * take: the queue is drained until shortly before the deadline, and what
 * cannot be committed by then goes to the spool, which with the anchor and
 * closing the database takes the last moments.
 */
export interface ShutdownPlan {
  /** When stop() must have finished, as Date.now(). */
  deadline: number;
  /** Requests still in flight then are cut off (recorded, their connections closed). */
  cutoff: number;
  /** Commits are tried until then; what is left is spooled. */
  drainUntil: number;
  /** How long one commit may wait for a lock another connection holds, from the start of the stop. */
  lockWaitMs: number;
}

/** The audit's share: a quarter of the time, at most 5 s (a commit takes milliseconds; the rest is for retries). */
const AUDIT_SHARE = 0.25;
const AUDIT_MAX_MS = 5_000;
/** Of the audit's share, the last third (at most 1 s) is for the spool, the anchor and closing the database. */
const CLOSE_SHARE = 1 / 3;
const CLOSE_MAX_MS = 1_000;

export function planShutdown(timeoutMs: number, now: number = Date.now()): ShutdownPlan {
  const auditMs = Math.min(AUDIT_MAX_MS, Math.round(timeoutMs * AUDIT_SHARE));
  const closeMs = Math.min(CLOSE_MAX_MS, Math.round(auditMs * CLOSE_SHARE));
  const deadline = now + timeoutMs;
  // An attempt begun just before drainUntil may wait this long, and still leaves half the closing time.
  return { deadline, cutoff: deadline - auditMs, drainUntil: deadline - closeMs, lockWaitMs: Math.max(1, Math.round(closeMs / 2)) };
}
