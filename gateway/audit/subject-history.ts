import type { Logger } from '../../common/logger';
import type { Subject } from './audit-record';
import type { AuditWriter } from './audit-writer';
import { SUBJECT_BUCKET_SIZE, subjectKeyer } from './subject-key';
import { SubjectIndexer, type IndexedRecord } from './subject-indexer';
import { offsetsIn, postingGroup } from './subject-postings';
import type { TrailStorage } from './trail-storage';

/** Posting lists (one per bucket) read per query of a subject's history. */
const POSTINGS_PER_LOOKUP = 256;

/**
 * Who saw whom: the subject index of the trail, kept up as records are
 * committed (SubjectIndexer: the open bucket in memory, full buckets written
 * as posting lists) and read for a subject's history. The index is derived
 * from the hashed records, so whatever of it was lost is rebuilt from them.
 */
export class SubjectHistory {
  private readonly indexer: SubjectIndexer;

  constructor(
    private readonly storage: TrailStorage,
    writer: AuditWriter,
    key: Buffer,
    private readonly logger: Logger,
  ) {
    this.indexer = new SubjectIndexer(writer, subjectKeyer(key), logger);
  }

  /** Indexes records just committed, in sequence order. */
  add(records: Iterable<IndexedRecord>): void {
    this.indexer.add(records);
  }

  /** Full buckets whose posting lists are not written yet. */
  get unwrittenBuckets(): number {
    return this.indexer.unwrittenBuckets;
  }

  /** Writes the posting lists of every full bucket still in memory. */
  flush(): Promise<void> {
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
    for await (const records of this.storage.subjectsAfter(first * SUBJECT_BUCKET_SIZE - 1)) {
      this.indexer.add(records);
      await this.indexer.flush();
      indexed += records.length;
    }
    // The head's bucket is the open one, whether or not its records name anybody.
    this.indexer.add([{ seq: head, subjects: [] }]);
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
    const key = this.indexer.keyOf(subject);
    const seqs = this.indexer.findInMemory(key).slice(0, limit);
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
