import type { Subject } from './audit-record';
import { SUBJECT_BUCKET_SIZE, type SubjectKeyer } from './subject-key';

/**
 * The subject index of one bucket of records, stored as one posting list per
 * key group: the sorted (key, record) pairs of the subjects whose keys fall
 * in that group. A full bucket (4,096 records, each naming up to a page of
 * subjects) is written once, as at most 4,096 rows, instead of a b-tree row
 * per subject as requests come in; a lookup reads one posting list per
 * bucket and binary-searches it.
 *
 * A pair is one number below 2^52: the key's low 40 bits, then the record's
 * 12-bit offset in its bucket (the group is the key's top 12 bits). Stored
 * as 8 bytes big-endian, so a posting list's bytes are the same everywhere
 * and audit:verify can compare them with the list rebuilt from the records.
 */

/** Key groups: a key's top 12 bits, one posting list per group and bucket. */
export const POSTING_GROUPS = 4096;
const GROUP_SPAN = 2 ** 40;
const POSTING_ENTRY_BYTES = 8;
const HIGH = 2 ** 32;

export interface Posting {
  group: number;
  entries: Buffer;
}

/** The posting group of a subject key. */
export function postingGroup(key: number): number {
  return Math.floor(key / GROUP_SPAN);
}

function entryAt(entries: Buffer, i: number): number {
  return entries.readUInt32BE(i * POSTING_ENTRY_BYTES) * HIGH + entries.readUInt32BE(i * POSTING_ENTRY_BYTES + 4);
}

/** The in-bucket offsets of the records a posting list files under `key`, ascending. */
export function offsetsIn(entries: Buffer, key: number): number[] {
  const low = (key - postingGroup(key) * GROUP_SPAN) * SUBJECT_BUCKET_SIZE;
  const high = low + SUBJECT_BUCKET_SIZE;
  let [from, to] = [0, entries.length / POSTING_ENTRY_BYTES];
  while (from < to) {
    const middle = (from + to) >>> 1;
    if (entryAt(entries, middle) < low) from = middle + 1;
    else to = middle;
  }
  const offsets: number[] = [];
  for (let i = from; i < entries.length / POSTING_ENTRY_BYTES; i += 1) {
    const entry = entryAt(entries, i);
    if (entry >= high) break;
    offsets.push(entry - low);
  }
  return offsets;
}

/** How many (key, record) pairs some posting lists hold together. */
export function pairCount(postings: readonly Posting[]): number {
  return postings.reduce((sum, posting) => sum + posting.entries.length / POSTING_ENTRY_BYTES, 0);
}

/** Every (key, offset) pair of a posting list, for comparing two lists. */
export function entriesOf(entries: Buffer): number[] {
  return Array.from({ length: entries.length / POSTING_ENTRY_BYTES }, (_, i) => entryAt(entries, i));
}

/** The in-bucket offset of a pair. */
export function offsetOfEntry(entry: number): number {
  return entry % SUBJECT_BUCKET_SIZE;
}

/** Subjects a bucket makes room for at first; it doubles as needed. */
const INITIAL_CAPACITY = 16_384;

/**
 * The subjects of one bucket's records as they come in: keys and offsets in
 * two typed arrays (cheap to append, cheap to scan), turned into posting
 * lists when the bucket is full. Typed, so their memory lies outside the
 * JavaScript heap: plain arrays of hundreds of thousands of numbers, growing while
 * requests allocate around them, were copied by every young-generation
 * collection they survived (the largest allocation governance made).
 */
export class BucketSubjects {
  private keys = new Float64Array(INITIAL_CAPACITY);
  private offsets = new Uint16Array(INITIAL_CAPACITY);
  private count = 0;

  constructor(readonly bucket: number) {}

  add(seq: number, subjects: readonly Subject[], keyOf: SubjectKeyer): void {
    const offset = seq - this.bucket * SUBJECT_BUCKET_SIZE;
    if (this.count + subjects.length > this.keys.length) this.grow(this.count + subjects.length);
    for (const subject of subjects) {
      this.keys[this.count] = keyOf(subject);
      this.offsets[this.count] = offset;
      this.count += 1;
    }
  }

  private grow(needed: number): void {
    let capacity = this.keys.length * 2;
    while (capacity < needed) capacity *= 2;
    const [keys, offsets] = [new Float64Array(capacity), new Uint16Array(capacity)];
    keys.set(this.keys.subarray(0, this.count));
    offsets.set(this.offsets.subarray(0, this.count));
    [this.keys, this.offsets] = [keys, offsets];
  }

  /** Sequence numbers of the records naming `key`, newest first, each once. */
  find(key: number): number[] {
    const seqs: number[] = [];
    for (let i = this.count - 1; i >= 0; i -= 1) {
      if (this.keys[i] !== key) continue;
      const seq = this.bucket * SUBJECT_BUCKET_SIZE + this.offsets[i]!;
      if (seqs[seqs.length - 1] !== seq) seqs.push(seq);
    }
    return seqs;
  }

  /** The bucket's posting lists, by group, each sorted and without duplicates. */
  postings(): Posting[] {
    return [...this.postingRuns(POSTING_GROUPS)].flat();
  }

  /**
   * The posting lists in runs of `groups` key groups, so that the caller can
   * let other work run between runs (sorting a whole bucket at once would
   * hold up requests): a counting sort into groups first, then per run a
   * numeric sort of each group's pairs.
   */
  *postingRuns(groups: number): Generator<Posting[]> {
    const count = this.count;
    const starts = new Uint32Array(POSTING_GROUPS + 1);
    const groupOf = new Uint16Array(count);
    for (let i = 0; i < count; i += 1) {
      const group = postingGroup(this.keys[i]!);
      groupOf[i] = group;
      starts[group + 1]! += 1;
    }
    for (let group = 0; group < POSTING_GROUPS; group += 1) starts[group + 1]! += starts[group]!;
    const next = starts.slice(0, POSTING_GROUPS);
    const pairs = new Float64Array(count);
    for (let i = 0; i < count; i += 1) {
      const group = groupOf[i]!;
      pairs[next[group]!++] = (this.keys[i]! - group * GROUP_SPAN) * SUBJECT_BUCKET_SIZE + this.offsets[i]!;
    }
    for (let run = 0; run < POSTING_GROUPS; run += groups) {
      const postings: Posting[] = [];
      for (let group = run; group < Math.min(run + groups, POSTING_GROUPS); group += 1) {
        if (starts[group] === starts[group + 1]) continue;
        const sorted = pairs.subarray(starts[group], starts[group + 1]).sort();
        const bytes = Buffer.allocUnsafe(sorted.length * POSTING_ENTRY_BYTES);
        let written = 0;
        for (let i = 0; i < sorted.length; i += 1) {
          if (i > 0 && sorted[i] === sorted[i - 1]) continue;
          const high = Math.floor(sorted[i]! / HIGH);
          bytes.writeUInt32BE(high, written);
          bytes.writeUInt32BE(sorted[i]! - high * HIGH, written + 4);
          written += POSTING_ENTRY_BYTES;
        }
        postings.push({ group, entries: bytes.subarray(0, written) });
      }
      yield postings;
    }
  }
}
