import type { AuditRecord } from './audit-record';
import { SUBJECT_BUCKET_SIZE, subjectBucket, type SubjectKeyer } from './subject-key';
import { BucketSubjects, entriesOf, offsetOfEntry, pairCount, POSTING_GROUPS } from './subject-postings';
import type { TrailStorage } from './trail-storage';
import type { Problem } from './verify-chain';

/**
 * Verifying the subject index, which the chain does not hash, against the
 * records, which it does: each bucket the index holds as closed is rebuilt
 * from its records as they stream past and compared with the stored posting
 * lists byte for byte, so that a pair added, removed, moved or out of order
 * is named by the record it points at. One bucket is held at a time.
 *
 * Lists of buckets not closed yet (a write a crash cut short; the gateway
 * finishes it when it next opens) are not read by lookups and are left out,
 * unless they point past the chain.
 */
export class SubjectIndexVerifier {
  private bucket: BucketSubjects | undefined;
  /** Records of the current bucket that name somebody. */
  private naming = 0;
  private unindexed = 0;
  private problem: Problem | undefined;

  constructor(
    private readonly storage: TrailStorage,
    private readonly keyOf: SubjectKeyer,
  ) {}

  /** Takes the next record of an intact chain, in sequence order. */
  async next(record: AuditRecord): Promise<void> {
    if (this.problem) return;
    const bucket = subjectBucket(record.seq);
    if (this.bucket && this.bucket.bucket !== bucket) await this.checkFull(this.bucket);
    if (this.bucket?.bucket !== bucket) [this.bucket, this.naming] = [new BucketSubjects(bucket), 0];
    this.bucket!.add(record.seq, record.subjects, this.keyOf);
    if (record.subjects.length > 0) this.naming += 1;
  }

  /**
   * Once every record was taken: the first problem found, or how many
   * records of full buckets name somebody but are not indexed yet (the open
   * bucket lives in the gateway's memory until it is full).
   */
  async end(head: number): Promise<{ intact: true; unindexed: number } | Problem> {
    if (this.problem) return this.problem;
    const open = subjectBucket(head);
    const closedEarly = await this.storage.firstClosedFrom(open);
    if (closedEarly !== null)
      return edited(head, `the subject index holds bucket ${closedEarly} as closed, but the chain has not filled it`);
    for await (const postings of this.storage.strayPostings(open)) {
      for (const { group, bucket, entries } of postings) {
        const beyond = entriesOf(entries).find((entry) => seqIn(bucket, entry) > head);
        if (beyond !== undefined)
          return edited(seqIn(bucket, beyond), `the subject index names record ${seqIn(bucket, beyond)}, which the chain does not hold`);
        const outside = group < 0 || group >= POSTING_GROUPS;
        if (outside && bucket < open && (await this.storage.closedBucket(bucket)) !== null)
          return this.mismatch(bucket, Buffer.alloc(0), entries);
      }
    }
    return { intact: true, unindexed: this.unindexed };
  }

  /** Compares a full bucket's rebuilt posting lists with the stored ones, if the index holds it as closed. */
  private async checkFull(expected: BucketSubjects): Promise<void> {
    const closed = await this.storage.closedBucket(expected.bucket);
    if (closed === null) {
      this.unindexed += this.naming;
      return;
    }
    const stored = await this.storage.bucketPostings(expected.bucket);
    const postings = expected.postings();
    const rebuilt = new Map(postings.map((posting) => [posting.group, posting.entries]));
    for (const group of new Set([...rebuilt.keys(), ...stored.keys()])) {
      const [want, have] = [rebuilt.get(group) ?? Buffer.alloc(0), stored.get(group) ?? Buffer.alloc(0)];
      if (!want.equals(have)) {
        this.problem = this.mismatch(expected.bucket, want, have);
        return;
      }
    }
    if (closed !== pairCount(postings))
      this.problem = edited(expected.bucket * SUBJECT_BUCKET_SIZE, `the subject index counts bucket ${expected.bucket} wrong`);
  }

  /**
   * A list that differs from its rebuilt one, named by the first record it
   * gets wrong; a list with the right pairs out of order (which lookups would
   * search wrongly) by its first record.
   */
  private mismatch(bucket: number, want: Buffer, have: Buffer): Problem {
    const missing = new Set(entriesOf(want));
    const difference = [...entriesOf(have).filter((entry) => !missing.delete(entry)), ...missing];
    const named = difference.length > 0 ? difference : entriesOf(have);
    const seq = named.length > 0 ? Math.min(...named.map((entry) => seqIn(bucket, entry))) : bucket * SUBJECT_BUCKET_SIZE;
    return edited(seq, `the subject index of record ${seq} does not match the record`);
  }
}

function seqIn(bucket: number, entry: number): number {
  return bucket * SUBJECT_BUCKET_SIZE + offsetOfEntry(entry);
}

function edited(seq: number, detail: string): Problem {
  return { intact: false, seq, problem: 'edited', detail };
}
