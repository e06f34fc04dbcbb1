import type { DataSource } from 'typeorm';
import { inTransaction } from '../../common/database/transaction';
import { settlesBy } from '../../common/deadline';
import { GovgraphError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { AnchorKeeper } from './anchor';
import { requestOf } from './audit-entry';
import type { AuditEntry, Subject } from './audit-record';
import { AuditReader } from './audit-reader';
import { createAuditWriter, type AuditWriter } from './audit-writer';
import { ChainAppender } from './chain-appender';
import { CommitQueue, type QueueStats } from './commit-queue';
import { defaultSpoolFile, readSpool, removeSpool, spooledInTrail, SpoolError, writeSpool, type Spool, type SpoolSeal } from './spool';
import { SubjectHistory } from './subject-history';
import { TrailStorage } from './trail-storage';

/**
 * The audit trail as the gateway uses it: records appended through the
 * commit queue, sealed into the hash chain, their subjects indexed, the head
 * anchored outside the database; what shutdown could not commit kept in the
 * spool and replayed at the next start; read back through `reader`. This
 * module wires those parts together; each is its own module.
 */

export class AuditUnavailableError extends GovgraphError {
  constructor() {
    super('AUDIT_UNAVAILABLE', 'The audit trail cannot record this request now; try again shortly');
  }
}

/** What the store is doing, for logs, health checks and tests. */
export interface AuditStats extends QueueStats {
  /** The newest committed record. */
  head: number;
  /** Full buckets of the subject index not written to the database yet. */
  unwrittenIndexBuckets: number;
  /** How long this process has held the trail's write lock in all, ms (PostgreSQL only). */
  trailLockMs: number | null;
}

/** Records appended per transaction when a spool is replayed, as the queue commits them. */
const REPLAY_BATCH = 500;

/**
 * Where a request's record is: being committed while its response waits, or
 * committed or queued. A request with neither (none yet, or a commit that
 * failed, whose response then records what it did instead) may be recorded.
 */
type RequestRecord = 'committing' | 'recorded';

export class AuditStore {
  private readonly storage: TrailStorage;
  private readonly writer: AuditWriter;
  private readonly history: SubjectHistory;
  private readonly chain: ChainAppender;
  private readonly queue: CommitQueue<AuditEntry>;
  private readonly anchor: AnchorKeeper;
  private readonly requests = new WeakMap<object, RequestRecord>();
  /** The spool the drain wrote, which the anchor keeps naming however often the drain is asked again. */
  private spooled: SpoolSeal | undefined;
  /** The trail as the steward API reads it. */
  readonly reader: AuditReader;

  constructor(
    private readonly dataSource: DataSource,
    private readonly key: Buffer,
    anchorFile: string,
    private readonly logger: Logger,
    private readonly spoolFile: string = defaultSpoolFile(anchorFile),
  ) {
    const writer = createAuditWriter(dataSource);
    this.writer = writer;
    this.storage = new TrailStorage(dataSource);
    this.history = new SubjectHistory(this.storage, writer, key, logger);
    this.chain = new ChainAppender(key, writer, this.storage, this.history);
    this.anchor = new AnchorKeeper(anchorFile, key, logger);
    this.queue = new CommitQueue(
      (entries) => this.commit(entries),
      () => new AuditUnavailableError(),
      logger,
    );
    this.reader = new AuditReader(dataSource, (subject, limit) => this.subjectHistory(subject, limit));
  }

  /**
   * Continues the chain from the stored head, but only if the head still
   * reaches the anchor; then replays the spool a shutdown left, if any,
   * before any new record. Throws SpoolError for a spool that is not as the
   * gateway wrote it, or missing although the anchor names it.
   */
  async open(): Promise<void> {
    const anchor = await this.anchor.check(await this.storage.head(), (seq) => this.storage.hashAt(seq));
    const spool = readSpool(this.spoolFile, this.key);
    if (!spool && anchor?.spool) {
      throw new SpoolError('missing', this.spoolFile, `is missing, though the anchor names it (${anchor.spool.entries} records)`);
    }
    if (spool && anchor?.spool && anchor.spool.mac !== spool.mac) {
      throw new SpoolError('edited', this.spoolFile, 'is not the one the anchor names');
    }
    await this.chain.resync();
    if (spool) await this.replay(spool);
  }

  /**
   * Commits the spool's records that the trail does not hold yet, in order,
   * anchors the new head, and only then removes the spool: a crash before
   * the removal leaves records the next start finds in the trail and skips.
   */
  private async replay(spool: Spool): Promise<void> {
    const present = await spooledInTrail(this.spoolFile, spool, this.key, this.storage);
    const rest = spool.entries.filter((_, i) => !present.has(i));
    for (let i = 0; i < rest.length; i += REPLAY_BATCH) await this.chain.append(rest.slice(i, i + REPLAY_BATCH));
    await this.anchor.replace(this.chain.head);
    removeSpool(this.spoolFile);
    this.logger.info({ records: rest.length, alreadyInTrail: present.size, head: this.chain.head.seq }, 'replayed the audit spool');
  }

  /**
   * Resolves with the record's sequence number once it is committed; rejects
   * with AuditUnavailableError if it cannot be, or if its request already has
   * a record (one cut off at shutdown, say), since its response cannot be
   * the one that record describes.
   */
  append(entry: AuditEntry): Promise<number> {
    const request = requestOf(entry);
    if (!request) return this.queue.append(entry);
    if (this.requests.has(request)) return Promise.reject(this.second(entry));
    this.requests.set(request, 'committing');
    return this.queue.append(entry).then(
      (seq) => {
        this.requests.set(request, 'recorded');
        return seq;
      },
      (error: unknown) => {
        this.requests.delete(request);
        throw error;
      },
    );
  }

  /** Records without waiting (the caller's answer does not depend on it); still never dropped. A request's second record is. */
  appendLater(entry: AuditEntry): void {
    const request = requestOf(entry);
    if (request) {
      if (this.requests.has(request)) {
        this.second(entry);
        return;
      }
      this.requests.set(request, 'recorded');
    }
    this.queue.appendLater(entry);
  }

  private second(entry: AuditEntry): AuditUnavailableError {
    this.logger.info({ requestId: entry.requestId, status: entry.status }, 'dropped a second audit record of a request already recorded');
    return new AuditUnavailableError();
  }

  /**
   * At shutdown: from now on a commit waits at most `ms` for a lock held by
   * another connection, so that the drain keeps to its deadline.
   */
  limitLockWait(ms: number): void {
    this.writer.limitLockWait?.(ms);
  }

  /**
   * At shutdown: commits everything queued, trying until `until` (a time, as
   * Date.now()) if the trail is down; whatever is left goes to the spool,
   * synced to disk, for the next start to replay. Then writes the subject
   * index of full buckets (the next start rebuilds what is missing) and
   * anchors the head, naming the spool.
   */
  async drain(until?: number): Promise<void> {
    const left = await this.queue.drain(until);
    if (left.length > 0) {
      try {
        this.spooled = writeSpool(this.spoolFile, this.key, this.chain.head, left);
        this.logger.warn({ records: left.length, spool: this.spoolFile }, 'audit records kept in the spool for the next start');
      } catch (error) {
        this.logger.error({ err: error, records: left.length, spool: this.spoolFile }, 'could not write the audit spool: records lost');
      }
    }
    // The subject index of full buckets; the next start rebuilds whatever of it is not written by then.
    const flushed = this.history
      .flush()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not write the subject index at shutdown'));
    if (until === undefined) await flushed;
    else await settlesBy(flushed, until);
    await this.anchor.seal(this.chain.head, this.spooled);
  }

  /**
   * Whether the store takes a write now: one row outside the trail is
   * rewritten, in a transaction of its own (queued behind any other on
   * SQLite's one connection). Resolves false when the database refuses it.
   */
  async probeWritable(): Promise<boolean> {
    try {
      await inTransaction(this.dataSource, (tx) =>
        tx.query(
          `INSERT INTO audit_write_probe (id, probed_at) VALUES (1, ${Date.now()}) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`,
        ),
      );
      return true;
    } catch (error) {
      this.logger.warn({ err: error }, 'audit store refused the readiness probe');
      return false;
    }
  }

  /** False while the last commit failed (a record is waiting for a retry); readiness asks probeWritable instead. */
  get healthy(): boolean {
    return this.queue.healthy;
  }

  stats(): AuditStats {
    return {
      ...this.queue.stats(),
      head: this.chain.head.seq,
      unwrittenIndexBuckets: this.history.unwrittenBuckets,
      trailLockMs: this.writer.lockHeldMs ?? null,
    };
  }

  /** Sequence numbers of the records naming a subject, newest first (see SubjectHistory.find). */
  subjectHistory(subject: Subject, limit: number): Promise<number[]> {
    return this.history.find(subject, limit);
  }

  /** Told how long each group commit took (the gateway's metrics). */
  observeCommits(observer: (seconds: number) => void): void {
    this.commitObserver = observer;
  }

  private commitObserver: ((seconds: number) => void) | undefined;

  private async commit(entries: AuditEntry[]): Promise<number> {
    const started = performance.now();
    const first = await this.chain.append(entries);
    this.commitObserver?.((performance.now() - started) / 1000);
    // The anchor follows the head within about a second, also when traffic stops.
    this.anchor.follow(this.chain.head);
    return first;
  }
}
