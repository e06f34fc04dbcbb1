import type { DataSource } from 'typeorm';
import { readAnchor } from './audit-store';
import { AUDIT_ROW_COLUMNS, AUDIT_ROWS, fromRow, UnreadableRecordError } from './audit-rows';
import type { AuditRecord } from './audit-record';
import { SUBJECT_BUCKET_SIZE, subjectBucket, subjectKeyer, type SubjectKeyer } from './subject-key';
import { BucketSubjects, entriesOf, offsetOfEntry, pairCount } from './subject-postings';
import { verifyChain, type Verdict } from './verify-chain';

/**
 * Reads the whole trail in sequence order, a page at a time, and verifies it
 * against the anchor; then checks that the subject index (which the chain
 * does not hash) says exactly what the hashed records say.
 */
export async function verifyAuditTrail(dataSource: DataSource, key: Buffer, anchorFile: string): Promise<Verdict> {
  const anchor = readAnchor(anchorFile, key);
  const records: AuditRecord[] = [];
  const size = 5000;
  for (let offset = 0; ; offset += size) {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} ORDER BY e.seq LIMIT ${size} OFFSET ${offset}`);
    for (const row of rows) {
      try {
        records.push(fromRow(row));
      } catch (error) {
        if (!(error instanceof UnreadableRecordError)) throw error;
        // The first problem is named: one among the records before it, or this one.
        const before = verifyChain(key, records);
        return before.intact ? { intact: false, seq: error.seq, problem: 'edited', detail: error.message } : before;
      }
    }
    if (rows.length < size) break;
  }
  const verdict = verifyChain(key, records, anchor);
  if (!verdict.intact) return verdict;
  const index = await verifySubjectIndex(dataSource, subjectKeyer(key), records);
  if (!index.intact) return index;
  return index.unindexed > 0 ? { ...verdict, unindexed: index.unindexed } : verdict;
}

type IndexVerdict = { intact: true; unindexed: number } | Extract<Verdict, { intact: false }>;

/**
 * Rebuilds the posting lists of every bucket the index holds as closed from
 * the records, and compares them byte for byte: a pair added, removed,
 * moved or out of order is named by the record it points at. Lists of buckets not closed yet
 * (a write a crash cut short; the gateway finishes it when it next opens) are
 * not read by lookups and are left out, unless they point past the chain.
 */
async function verifySubjectIndex(dataSource: DataSource, keyOf: SubjectKeyer, records: readonly AuditRecord[]): Promise<IndexVerdict> {
  const closed: { bucket: number | string; entries: number | string }[] = await dataSource.query('SELECT bucket, entries FROM audit_subject_bucket');
  const stored = new Map<number, Map<number, Buffer>>();
  const rows: { grp: number | string; bucket: number | string; entries: Buffer }[] = await dataSource.query('SELECT grp, bucket, entries FROM audit_subject_posting');
  for (const row of rows) {
    const bucket = Number(row.bucket);
    if (!stored.has(bucket)) stored.set(bucket, new Map());
    stored.get(bucket)!.set(Number(row.grp), Buffer.from(row.entries));
  }
  const head = records.length > 0 ? records[records.length - 1]!.seq : 0;
  const seqIn = (bucket: number, entry: number) => bucket * SUBJECT_BUCKET_SIZE + offsetOfEntry(entry);
  const edited = (seq: number, detail: string): IndexVerdict => ({ intact: false, seq, problem: 'edited', detail });
  const closedBuckets = new Set(closed.map((row) => Number(row.bucket)));
  for (const { bucket: value, entries: count } of closed) {
    const bucket = Number(value);
    // Only a full bucket is closed: one that holds the head is still being filled.
    if (bucket >= subjectBucket(head)) return edited(head, `the subject index holds bucket ${bucket} as closed, but the chain has not filled it`);
    const expected = new BucketSubjects(bucket);
    for (const record of records.slice(Math.max(0, bucket * SUBJECT_BUCKET_SIZE - 1), (bucket + 1) * SUBJECT_BUCKET_SIZE - 1)) {
      expected.add(record.seq, record.subjects, keyOf);
    }
    const lists = stored.get(bucket) ?? new Map<number, Buffer>();
    const postings = expected.postings();
    const rebuilt = new Map(postings.map((posting) => [posting.group, posting.entries]));
    for (const group of new Set([...rebuilt.keys(), ...lists.keys()])) {
      const [want, have] = [rebuilt.get(group) ?? Buffer.alloc(0), lists.get(group) ?? Buffer.alloc(0)];
      if (want.equals(have)) continue;
      // Named by the first record it gets wrong; a list with the right pairs out of order (which
      // lookups would search wrongly) by its first record.
      const missing = new Set(entriesOf(want));
      const difference = [...entriesOf(have).filter((entry) => !missing.delete(entry)), ...missing];
      const seq = Math.min(...(difference.length > 0 ? difference : entriesOf(have)).map((entry) => seqIn(bucket, entry)));
      return edited(seq, `the subject index of record ${seq} does not match the record`);
    }
    if (Number(count) !== pairCount(postings)) {
      return edited(bucket * SUBJECT_BUCKET_SIZE, `the subject index counts bucket ${bucket} wrong`);
    }
  }
  for (const [bucket, lists] of stored) {
    for (const entries of lists.values()) {
      const beyond = entriesOf(entries).find((entry) => seqIn(bucket, entry) > head);
      if (beyond !== undefined) return edited(seqIn(bucket, beyond), `the subject index names record ${seqIn(bucket, beyond)}, which the chain does not hold`);
    }
  }
  // The open bucket lives in the gateway's memory until it is full; a full bucket not closed yet is written when the gateway next opens.
  const unindexed = records.filter((record) => subjectBucket(record.seq) < subjectBucket(head) && !closedBuckets.has(subjectBucket(record.seq)) && record.subjects.length > 0).length;
  return { intact: true, unindexed };
}
