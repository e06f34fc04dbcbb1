import { createHash, createHmac } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Subject } from './audit-record';

/** The subject index's key for one subject: 64 bits of a keyed hash of its type and id. */
export type SubjectKeyer = (subject: Subject) => bigint;

/** Subjects whose keys are remembered; the same residents come up again and again. */
const MEMO_SIZE = 50_000;

/**
 * Keys the subject index under a key derived from the audit chain's key, so
 * the index holds no raw ids and cannot be matched to subjects without the
 * key. SHA-256 over the derived key and the subject is a pseudorandom
 * function here (the key has a fixed length; nothing is authenticated, so
 * length extension does not matter), at a third of an HMAC's cost. Two
 * subjects sharing a key is a 2^-64 chance, and harmless: every lookup is
 * checked against the hashed record, which names the subject.
 */
export function subjectKeyer(auditKey: Buffer): SubjectKeyer {
  const indexKey = createHmac('sha256', auditKey).update('govgraph audit subject index v1').digest();
  // Least recently used goes first, in constant time: evicting by deleting a Map's first key
  // walks every earlier deletion again, which made each new subject cost more as the memo turned over.
  const memo = new LRUCache<string, bigint>({ max: MEMO_SIZE });
  return (subject) => {
    const text = `${subject.type}\0${subject.id}`;
    let key = memo.get(text);
    if (key === undefined) {
      key = createHash('sha256').update(indexKey).update(text).digest().readBigInt64BE(0);
      memo.set(text, key);
    }
    return key;
  };
}

/**
 * Records per bucket of the subject index. Index rows are clustered by bucket
 * first, so writing them touches only the newest bucket's pages; a lookup
 * seeks once per bucket. Fixed for the life of a database: the bucket of a
 * stored row is checked against it by audit:verify.
 */
export const SUBJECT_BUCKET_SIZE = 4096;

/** The subject-index bucket of the record with sequence number `seq`. */
export function subjectBucket(seq: number): number {
  return Math.floor(seq / SUBJECT_BUCKET_SIZE);
}
