/**
 * Keeps a flood out of the audit trail without losing count of it. Requests
 * without a known caller (refused at the door, or the IDE's page) and
 * requests refused for their rate are recorded one by one up to a few per
 * key (an address, or a caller) and minute; beyond that they are counted,
 * and when the minute ends one summary record per key and ending (outcome
 * and status) says how many there were. The trail stays complete in counts
 * and grows by at most INDIVIDUAL_PER_WINDOW + a few records a minute per
 * address, however fast it is flooded.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../audit/audit-record';

/** Records of one key written one by one in a window before the rest are only counted. */
export const INDIVIDUAL_PER_WINDOW = 10;
export const SUMMARY_WINDOW_MS = 60_000;
/** Keys with an open window at most; beyond, the oldest window is summed up early. */
const MAX_OPEN_WINDOWS = 10_000;

interface Counted {
  count: number;
  /** The first counted request's record, standing for the others in the summary. */
  sample: AuditEntry;
}

interface Window {
  startedAt: number;
  recorded: number;
  counted: Map<string, Counted>;
}

export class RefusalSummaries {
  private readonly windows = new Map<string, Window>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly record: (entry: AuditEntry) => void,
    private readonly windowMs = SUMMARY_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.closeEnded(), Math.min(windowMs, 5_000));
    this.timer.unref();
  }

  /** Records `entry` (true), or counts it in its key's summary once the key has had its share of records this window (false). */
  offer(key: string, entry: AuditEntry): boolean {
    const now = this.now();
    let window = this.windows.get(key);
    if (window && now - window.startedAt >= this.windowMs) {
      this.close(key, window);
      window = undefined;
    }
    if (!window) {
      if (this.windows.size >= MAX_OPEN_WINDOWS) {
        const [oldestKey, oldest] = this.windows.entries().next().value as [string, Window];
        this.close(oldestKey, oldest);
      }
      window = { startedAt: now, recorded: 0, counted: new Map() };
      this.windows.set(key, window);
    }
    if (window.recorded < INDIVIDUAL_PER_WINDOW) {
      window.recorded += 1;
      this.record(entry);
      return true;
    }
    const ending = `${entry.outcome}/${entry.status}`;
    const counted = window.counted.get(ending);
    if (counted) counted.count += 1;
    else window.counted.set(ending, { count: 1, sample: entry });
    return false;
  }

  /** Writes the summary of every open window (at shutdown). */
  stop(): void {
    clearInterval(this.timer);
    for (const [key, window] of this.windows) this.close(key, window);
  }

  private closeEnded(): void {
    const now = this.now();
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.close(key, window);
    }
  }

  private close(key: string, window: Window): void {
    this.windows.delete(key);
    for (const { count, sample } of window.counted.values()) this.record(summaryOf(sample, count, window.startedAt, this.now()));
  }
}

/**
 * One record for `count` requests ending like `sample`: who asked when that
 * was known, from where, when the window opened, how long it lasted. What
 * differed between them (operation, client labels) is not kept.
 */
function summaryOf(sample: AuditEntry, count: number, startedAt: number, now: number): AuditEntry {
  return {
    ...sample,
    at: new Date(startedAt).toISOString(),
    requestId: randomUUID(),
    clientRequestId: null,
    clientName: null,
    clientVersion: null,
    operationType: null,
    operationName: null,
    documentHash: null,
    purpose: null,
    decisions: [],
    subjects: [],
    durationMs: now - startedAt,
    requestCount: count,
  };
}
