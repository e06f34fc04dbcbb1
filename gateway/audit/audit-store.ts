import type { DataSource } from 'typeorm';
import { inTransaction } from '../../common/database/transaction';
import { GovgraphError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { AnchorKeeper } from './anchor';
import type { AuditEntry, Subject } from './audit-record';
import { AuditReader } from './audit-reader';
import { createAuditWriter } from './audit-writer';
import { ChainAppender } from './chain-appender';
import { CommitQueue, type QueueStats } from './commit-queue';
import { SubjectHistory } from './subject-history';
import { TrailStorage } from './trail-storage';

/**
 * The audit trail as the gateway uses it: records appended through the
 * commit queue, sealed into the hash chain, their subjects indexed, the head
 * anchored outside the database; read back through `reader`. This module
 * wires those parts together; each is its own module.
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
}

export class AuditStore {
  private readonly storage: TrailStorage;
  private readonly history: SubjectHistory;
  private readonly chain: ChainAppender;
  private readonly queue: CommitQueue<AuditEntry>;
  private readonly anchor: AnchorKeeper;
  /** The trail as the steward API reads it. */
  readonly reader: AuditReader;

  constructor(
    private readonly dataSource: DataSource,
    key: Buffer,
    anchorFile: string,
    private readonly logger: Logger,
  ) {
    const writer = createAuditWriter(dataSource);
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

  /** Continues the chain from the stored head, but only if the head still reaches the anchor. */
  async open(): Promise<void> {
    await this.anchor.check(await this.storage.head(), (seq) => this.storage.hashAt(seq));
    await this.chain.resync();
  }

  /** Resolves with the record's sequence number once it is committed; rejects with AuditUnavailableError if it cannot be. */
  append(entry: AuditEntry): Promise<number> {
    return this.queue.append(entry);
  }

  /** Records without waiting (the caller's answer does not depend on it); still never dropped. */
  appendLater(entry: AuditEntry): void {
    this.queue.appendLater(entry);
  }

  /** At shutdown: commits everything queued, writes the subject index of full buckets, and anchors the head. */
  async drain(): Promise<void> {
    await this.queue.drain();
    await this.history.flush();
    await this.anchor.write(this.chain.head);
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
    return { ...this.queue.stats(), head: this.chain.head.seq, unwrittenIndexBuckets: this.history.unwrittenBuckets };
  }

  /** Sequence numbers of the records naming a subject, newest first (see SubjectHistory.find). */
  subjectHistory(subject: Subject, limit: number): Promise<number[]> {
    return this.history.find(subject, limit);
  }

  private async commit(entries: AuditEntry[]): Promise<number> {
    const first = await this.chain.append(entries);
    // The anchor follows the head within about a second, also when traffic stops.
    this.anchor.follow(this.chain.head);
    return first;
  }
}
