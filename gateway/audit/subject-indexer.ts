import type { Logger } from '../../common/logger';
import type { Subject } from './audit-record';
import type { AuditWriter } from './audit-writer';
import { subjectBucket, type SubjectKeyer } from './subject-key';
import { BucketSubjects, pairCount } from './subject-postings';

/** Building the subject index as records are committed, and writing it bucket by bucket. */

/** Key groups whose posting lists are built and written per transaction; requests run in between. */
const GROUPS_PER_TRANSACTION = 256;

/** What the indexer needs of a record: its number and whose data it names. */
export interface IndexedRecord {
  seq: number;
  subjects: readonly Subject[];
}

/**
 * Keeps the subject index of the newest bucket in memory and writes each
 * bucket's posting lists once, when the bucket is full. A request's subjects
 * cost an append to two arrays on the request path; the database sees a few
 * thousand rows per 4,096 records, written in the background, instead of a
 * b-tree insert per subject while the request waits.
 *
 * The index is derived from the hashed records, so nothing is lost with the
 * memory: on open, the store rebuilds from the records whatever the database
 * does not hold as closed (the open bucket; a full one a crash kept from
 * being written). Lookups read the database for closed buckets and memory
 * for the rest, so a record can be found from the moment it is committed.
 */
export class SubjectIndexer {
  private open = new BucketSubjects(0);
  /** Full buckets, oldest first, until their posting lists are written. */
  private readonly full: BucketSubjects[] = [];
  private writing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: AuditWriter,
    readonly keyOf: SubjectKeyer,
    private readonly logger: Logger,
    /** Whether a bucket's index is in the database already (another replica wrote it). */
    private readonly isClosed: (bucket: number) => Promise<boolean> = async () => false,
    private readonly retryMs = 1000,
  ) {}

  /**
   * Starts again from what the database holds: every bucket below `first` is
   * closed there; the records from bucket `first` on follow through add().
   */
  async restart(first: number): Promise<void> {
    await this.settle();
    this.full.length = 0;
    this.open = new BucketSubjects(first);
  }

  /** Indexes records just committed, in sequence order; a bucket that fills up is written in the background. */
  add(records: Iterable<IndexedRecord>): void {
    for (const record of records) {
      const bucket = subjectBucket(record.seq);
      // A record of a bucket already full was indexed with it: never again, and never in a later bucket.
      if (bucket < this.open.bucket) continue;
      while (bucket > this.open.bucket) {
        this.full.push(this.open);
        this.open = new BucketSubjects(this.open.bucket + 1);
      }
      if (record.subjects.length > 0) this.open.add(record.seq, record.subjects, this.keyOf);
    }
    if (!this.retryTimer) this.startWriting();
  }

  /** Full buckets whose posting lists are not written yet. */
  get unwrittenBuckets(): number {
    return this.full.length;
  }

  /** The oldest bucket still in memory: every bucket below it is in the database. */
  get firstInMemory(): number {
    return this.full[0]?.bucket ?? this.open.bucket;
  }

  /** Sequence numbers of the records in memory that name a subject with this key, newest first. */
  findInMemory(key: number): number[] {
    return [this.open, ...[...this.full].reverse()].flatMap((bucket) => bucket.find(key));
  }

  /** Resolves once every full bucket is written (or the attempt failed and was logged). */
  async flush(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    while (this.writing) await this.writing;
    this.startWriting();
    while (this.writing) await this.writing;
  }

  /** Waits for a write under way, without starting one. */
  private async settle(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    while (this.writing) await this.writing;
  }

  private startWriting(): void {
    if (this.writing || this.full.length === 0) return;
    this.writing = this.writeFull().finally(() => {
      this.writing = null;
    });
  }

  /**
   * Oldest first, each bucket's lists in runs of GROUPS_PER_TRANSACTION,
   * then the mark that the bucket is complete. A bucket stays in memory (and
   * found there) until it is marked; what fails is tried again later.
   */
  private async writeFull(): Promise<void> {
    try {
      while (this.full.length > 0) {
        const bucket = this.full[0]!;
        if (await this.isClosed(bucket.bucket)) {
          this.full.shift();
          continue;
        }
        let entries = 0;
        for (const postings of bucket.postingRuns(GROUPS_PER_TRANSACTION)) {
          await this.writer.writePostings(bucket.bucket, postings);
          entries += pairCount(postings);
          await new Promise((resolve) => setImmediate(resolve));
        }
        await this.writer.closeBucket(bucket.bucket, entries);
        this.full.shift();
      }
    } catch (error) {
      this.logger.error({ err: error, buckets: this.full.length }, 'could not write the audit subject index; will retry');
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = undefined;
        this.startWriting();
      }, this.retryMs).unref();
    }
  }
}
