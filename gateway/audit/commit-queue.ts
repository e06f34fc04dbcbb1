import { performance } from 'node:perf_hooks';
import { settlesBy } from '../../common/deadline';
import type { Logger } from '../../common/logger';

/**
 * The queue in front of the trail, committing in groups: every record that
 * arrives while a commit is under way goes into the next one, so recording
 * costs one transaction per group, not per request.
 *
 * A record someone waits for (append) is committed at once; one nobody
 * waits for (appendLater) rides with the next commit, or goes on its own
 * within LATER_MS. When a commit fails, each waiter learns of it at once
 * (and records what it did instead); records nobody waits for stay queued,
 * in order, and are tried again after RETRY_MS, or sooner with a waiter's.
 * Nothing is dropped: drain() commits what is left, trying until its
 * deadline if the trail is down, then closes the queue and hands back what
 * it could not commit, for the caller to keep elsewhere (the spool).
 */

/** Writes entries as consecutive records; resolves with the first one's sequence number. */
export type CommitGroup<T> = (entries: T[]) => Promise<number>;

export type QueuePhase = QueueState['phase'];

type QueueState<T = unknown> =
  /** Nothing under way; `wake`, if set, starts the next commit. */
  | { phase: 'idle'; wake: Wake | null }
  | { phase: 'committing'; done: Promise<void> }
  /** The last commit failed; the timer tries again. */
  | { phase: 'retrying'; timer: NodeJS.Timeout }
  /** drain() is committing what is left; nothing else starts a commit. */
  | { phase: 'draining'; done: Promise<T[]> }
  | { phase: 'closed' };

type Wake = { soon: true; handle: NodeJS.Immediate } | { soon: false; handle: NodeJS.Timeout };

interface Queued<T> {
  entry: T;
  waiter?: { resolve: (seq: number) => void; reject: (error: Error) => void };
}

export interface QueueStats {
  phase: QueuePhase;
  /** Records waiting to be committed. */
  queued: number;
  /** Transactions committed: fewer than records when requests arrive together. */
  commits: number;
  records: number;
  failedCommits: number;
  lastCommitMs: number | null;
  averageCommitMs: number | null;
}

const BATCH = 500;
/** How long a record nobody waits for may wait to share a commit with others. */
const LATER_MS = 25;
const RETRY_MS = 500;
/** How long drain() tries when its caller gives no deadline. */
const DRAIN_MS = 3_000;
const DRAIN_PAUSE_MS = 300;

export class CommitQueue<T> {
  private state: QueueState<T> = { phase: 'idle', wake: null };
  private queue: Queued<T>[] = [];
  /** The group being committed now, until its commit settles. */
  private committing: Queued<T>[] = [];
  private lastOk = true;
  private readonly counts = { commits: 0, records: 0, failedCommits: 0, totalMs: 0, lastMs: null as number | null };

  constructor(
    private readonly commitGroup: CommitGroup<T>,
    /** The error a waiter gets when its record could not be committed. */
    private readonly unavailable: () => Error,
    private readonly logger: Logger,
  ) {}

  /** Resolves with the record's sequence number once it is committed. */
  append(entry: T): Promise<number> {
    return new Promise((resolve, reject) => {
      this.push({ entry, waiter: { resolve, reject } });
      this.wake(true);
    });
  }

  /** Records without waiting (the caller's answer does not depend on it); still never dropped. */
  appendLater(entry: T): void {
    this.push({ entry });
    this.wake(false);
  }

  /** False while the last commit failed. */
  get healthy(): boolean {
    return this.lastOk;
  }

  stats(): QueueStats {
    const { commits, records, failedCommits, totalMs, lastMs } = this.counts;
    return {
      phase: this.state.phase,
      queued: this.queue.length,
      commits,
      records,
      failedCommits,
      lastCommitMs: lastMs,
      averageCommitMs: commits > 0 ? totalMs / commits : null,
    };
  }

  /**
   * Commits everything queued, trying until `until` (a time, as Date.now())
   * if the trail is down, then closes the queue. Resolves with the records
   * it could not commit, oldest first: a commit still under way at the
   * deadline (whose outcome is not known) is among them, so a caller that
   * keeps them must be ready to find some in the trail after all. Waiters
   * whose records are left are told they could not be committed, and what
   * they record instead is taken before the queue closes.
   */
  drain(until: number = Date.now() + DRAIN_MS): Promise<T[]> {
    const previous = this.state;
    if (previous.phase === 'closed') return Promise.resolve([]);
    if (previous.phase === 'draining') return previous.done;
    if (previous.phase === 'retrying') clearTimeout(previous.timer);
    if (previous.phase === 'idle') cancel(previous.wake);
    const state: QueueState<T> = { phase: 'draining', done: Promise.resolve([]) };
    this.state = state;
    state.done = this.commitRest(previous, until);
    return state.done;
  }

  private async commitRest(previous: QueueState<T>, until: number): Promise<T[]> {
    if (previous.phase === 'committing' && !(await settlesBy(previous.done, until))) return this.close();
    for (let failed = false; this.queue.length > 0 && Date.now() < until; ) {
      if (failed) await pause(Math.min(DRAIN_PAUSE_MS, until - Date.now()));
      if (Date.now() >= until) break;
      const attempt = this.commitNext();
      const settled = await settlesBy(attempt, until);
      if (!settled) break;
      failed = !(await attempt);
    }
    return this.close();
  }

  /** Closes the queue, handing back what is left: the group in doubt first, then the queue. */
  private async close(): Promise<T[]> {
    const waiting = this.queue.filter((item) => item.waiter);
    this.queue = this.queue.filter((item) => !item.waiter);
    for (const item of waiting) item.waiter!.reject(this.unavailable());
    // A waiter told so (here, or by the last failed commit) records what it did instead, from a
    // promise continuation: one turn of the event loop lets those records in before the queue closes.
    await new Promise((resolve) => setImmediate(resolve));
    const left = [...this.committing, ...this.queue].map((item) => item.entry);
    this.queue = [];
    this.committing = [];
    this.state = { phase: 'closed' };
    if (left.length > 0) this.logger.error({ records: left.length }, 'audit records could not be committed before the shutdown deadline');
    return left;
  }

  private push(item: Queued<T>): void {
    if (this.state.phase === 'closed') throw new Error('an audit record arrived after the audit queue was drained and closed');
    this.queue.push(item);
  }

  /** A record arrived: a waiter's starts a commit soon, another's within LATER_MS. */
  private wake(soon: boolean): void {
    const state = this.state;
    if (state.phase === 'retrying' && soon) {
      // A waiter gets an attempt of its own rather than wait out the retry.
      clearTimeout(state.timer);
      this.state = { phase: 'idle', wake: null };
    }
    if (this.state.phase !== 'idle' || (this.state.wake && (this.state.wake.soon || !soon))) return;
    cancel(this.state.wake);
    this.state.wake = soon
      ? { soon, handle: setImmediate(() => this.startCommit()) }
      : { soon, handle: setTimeout(() => this.startCommit(), LATER_MS).unref() };
  }

  private startCommit(): void {
    if (this.state.phase !== 'idle') throw new Error(`an audit commit was started while the queue was ${this.state.phase}`);
    if (this.queue.length === 0) {
      this.state = { phase: 'idle', wake: null };
      return;
    }
    const state: QueueState<T> = { phase: 'committing', done: Promise.resolve() };
    this.state = state;
    state.done = this.commitNext().then((ok) => {
      // drain() may have taken over meanwhile.
      if (this.state === state) this.continueAfter(ok);
    });
  }

  private continueAfter(ok: boolean): void {
    if (!ok) {
      const timer = setTimeout(() => {
        this.state = { phase: 'idle', wake: null };
        this.startCommit();
      }, RETRY_MS);
      this.state = { phase: 'retrying', timer };
      return;
    }
    this.state = { phase: 'idle', wake: null };
    if (this.queue.length > 0) this.wake(this.queue.some((item) => item.waiter));
  }

  /** Commits the oldest group of queued records; false if the commit failed. */
  private async commitNext(): Promise<boolean> {
    const batch = this.queue.splice(0, BATCH);
    this.committing = batch;
    const started = performance.now();
    try {
      const first = await this.commitGroup(batch.map((item) => item.entry));
      this.measure(batch.length, performance.now() - started);
      this.lastOk = true;
      for (const [i, item] of batch.entries()) item.waiter?.resolve(first + i);
      return true;
    } catch (error) {
      this.lastOk = false;
      this.counts.failedCommits += 1;
      this.logger.error({ err: error, records: batch.length }, 'audit commit failed; records kept for retry');
      // Records nobody waits for are kept, in order, ahead of anything newer (unless drain() gave
      // up on this commit and handed them over already). A waiter is told now and records what
      // actually happened instead (its response was withheld).
      if (this.committing === batch) this.queue.unshift(...batch.filter((item) => !item.waiter));
      for (const item of batch) item.waiter?.reject(this.unavailable());
      return false;
    } finally {
      if (this.committing === batch) this.committing = [];
    }
  }

  private measure(records: number, ms: number): void {
    this.counts.commits += 1;
    this.counts.records += records;
    this.counts.totalMs += ms;
    this.counts.lastMs = ms;
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

function cancel(wake: Wake | null): void {
  if (wake?.soon) clearImmediate(wake.handle);
  else if (wake) clearTimeout(wake.handle);
}
