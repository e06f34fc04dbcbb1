import type { Logger } from '../../common/logger';
import type { Subject } from './audit-record';
import type { AuditWriter } from './audit-writer';
import { SUBJECT_BUCKET_SIZE, subjectKeyer } from './subject-key';
import { SubjectIndexer, type IndexedRecord } from './subject-indexer';
import { offsetsIn, postingGroup } from './subject-postings';
import type { TrailStorage } from './trail-storage';

/** Posting lists (one per bucket) read per query of a subject's history. */
const POSTINGS_PER_LOOKUP = 256;
/** How soon the index reads back the records other writers committed, once it has seen that there are some. */
const CATCH_UP_MS = 1000;

/**
 * Who saw whom: the subject index of the trail, kept up as records are
 * committed (SubjectIndexer: the open bucket in memory, full buckets written
 * as posting lists) and read for a subject's history. The index is derived
 * from the hashed records, so whatever of it was lost is rebuilt from them.
 *
 * Several gateway replicas append to one trail, and each indexes in memory
 * only what it has seen. Every record up to `through` is indexed, in memory
 * or in the database. A group of its own that follows `through` is added at
 * once; one that does not (others committed in between, or the answer to a
 * commit was lost) leaves a gap that the index closes by reading the records
 * after `through` back from the trail, within CATCH_UP_MS and before every
 * lookup, so a record is found from the moment it is committed, whichever
 * replica committed it and whichever answers. Full buckets are written by
 * whichever replica gets there first; the others find them closed.
 */
export class SubjectHistory {
  private readonly indexer: SubjectIndexer;
  /** Every record up to this one is indexed. */
  private through = 0;
  private catching: Promise<void> | null = null;
  private catchUpTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly storage: TrailStorage,
    writer: AuditWriter,
    key: Buffer,
    private readonly logger: Logger,
  ) {
    this.indexer = new SubjectIndexer(writer, subjectKeyer(key), logger, async (bucket) => (await storage.closedBucket(bucket)) !== null);
  }

  /** Indexes a group of consecutive records just committed, in sequence order. */
  add(records: readonly IndexedRecord[]): void {
    const fresh = records.filter((record) => record.seq > this.through);
    if (fresh.length === 0) return;
    if (fresh[0]!.seq !== this.through + 1) {
      this.catchUpSoon();
      return;
    }
    this.indexer.add(fresh);
    this.through = fresh[fresh.length - 1]!.seq;
  }

  private catchUpSoon(): void {
    this.catchUpTimer ??= setTimeout(() => {
      this.catchUpTimer = undefined;
      this.catchUp().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not read back the audit records of other replicas; will retry'),
      );
    }, CATCH_UP_MS).unref();
  }

  /** Indexes the records committed after `through`, by anyone; one reading at a time. */
  private catchUp(): Promise<void> {
    this.catching ??= this.readBack().finally(() => {
      this.catching = null;
    });
    return this.catching;
  }

  private async readBack(): Promise<void> {
    // Writers commit in sequence order (one at a time under the trail's lock), so every record up to the head is visible now.
    const head = await this.storage.head();
    if (head.seq <= this.through) return;
    const closed = await this.storage.lastClosedBucket();
    if (closed !== null && (closed + 1) * SUBJECT_BUCKET_SIZE - 1 > this.through) {
      // Others have written the index of every bucket up to `closed`: memory starts after them.
      await this.indexer.restart(closed + 1);
      this.through = (closed + 1) * SUBJECT_BUCKET_SIZE - 1;
    }
    for await (const page of this.storage.subjectsAfter(this.through, head.seq)) {
      // A group of this replica's own may have been added meanwhile.
      const fresh = page.filter((record) => record.seq > this.through);
      if (fresh.length === 0) continue;
      this.indexer.add(fresh);
      this.through = fresh[fresh.length - 1]!.seq;
    }
    if (head.seq > this.through) {
      // Records naming no one, up to the head: the head's bucket is the open one.
      this.indexer.add([{ seq: head.seq, subjects: [] }]);
      this.through = head.seq;
    }
  }

  /** Full buckets whose posting lists are not written yet. */
  get unwrittenBuckets(): number {
    return this.indexer.unwrittenBuckets;
  }

  /** Writes the posting lists of every full bucket still in memory. */
  flush(): Promise<void> {
    clearTimeout(this.catchUpTimer);
    this.catchUpTimer = undefined;
    return this.indexer.flush();
  }

  /**
   * Rebuilds from the hashed records, up to the chain's head, whatever of
   * the index the database does not hold as closed: the open bucket (kept in
   * memory), and full buckets a crash kept from being written, which are
   * written before this resolves.
   */
  async rebuild(head: number): Promise<void> {
    const closed = await this.storage.lastClosedBucket();
    const first = closed === null ? 0 : closed + 1;
    await this.indexer.restart(first);
    let indexed = 0;
    // Up to the head: what others commit meanwhile is read back later, once.
    for await (const records of this.storage.subjectsAfter(first * SUBJECT_BUCKET_SIZE - 1, head)) {
      this.indexer.add(records);
      await this.indexer.flush();
      indexed += records.length;
    }
    // The head's bucket is the open one, whether or not its records name anybody.
    this.indexer.add([{ seq: head, subjects: [] }]);
    this.through = head;
    await this.indexer.flush();
    if (indexed > 0) this.logger.info({ records: indexed }, 'rebuilt the subject index of audit records');
  }

  /**
   * Sequence numbers of the records whose subjects include this one, newest
   * first, at most `limit` (and, once in 2^52, a record of another subject
   * with the same key: the caller checks the records). Committed records are
   * found at once: the newest buckets from memory, older ones from their
   * posting lists, one list per bucket.
   */
  async find(subject: Subject, limit: number): Promise<number[]> {
    await this.catchUp();
    const key = this.indexer.keyOf(subject);
    const seqs = [...new Set(this.indexer.findInMemory(key))].slice(0, limit);
    const group = postingGroup(key);
    for (let below = this.indexer.firstInMemory; seqs.length < limit && below > 0; ) {
      const postings = await this.storage.postingsBelow(group, below, POSTINGS_PER_LOOKUP);
      for (const { bucket, entries } of postings) {
        seqs.push(
          ...offsetsIn(entries, key)
            .map((offset) => bucket * SUBJECT_BUCKET_SIZE + offset)
            .reverse(),
        );
        below = bucket;
      }
      if (postings.length < POSTINGS_PER_LOOKUP) break;
    }
    return seqs.slice(0, limit);
  }
}
