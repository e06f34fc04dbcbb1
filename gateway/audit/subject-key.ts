import { createHmac, hash } from 'node:crypto';
import type { Subject } from './audit-record';

/**
 * The subject index's key for one subject: 52 bits of a keyed hash of its
 * type and id, as an exact JavaScript number (no BigInt on the hot path).
 */
export type SubjectKeyer = (subject: Subject) => number;

/**
 * Keys the subject index under a key derived from the audit chain's key, so
 * the index holds no raw ids and cannot be matched to subjects without the
 * key. SHA-256 over the derived key (a fixed-length prefix) and the subject
 * is a pseudorandom function here; nothing is authenticated, so length
 * extension does not matter. One-shot hashing to hex costs about 0.8 µs, less
 * than remembering keys did (the same resident rarely comes back soon among
 * 300,000). Two subjects sharing a key is a 2^-52 chance, and harmless: every
 * lookup is checked against the hashed record, which names the subject.
 */
export function subjectKeyer(auditKey: Buffer): SubjectKeyer {
  const prefix = createHmac('sha256', auditKey).update('govgraph audit subject index v2').digest('hex');
  return (subject) => parseInt(hash('sha256', `${prefix}\0${subject.type}\0${subject.id}`, 'hex').slice(0, 13), 16);
}

/**
 * Records per bucket of the subject index. A bucket's index is written once,
 * when the bucket is full, as one sorted posting list per key group; the open
 * bucket is kept in memory. Fixed for the life of a database: audit:verify
 * rebuilds every closed bucket's postings from the records.
 */
export const SUBJECT_BUCKET_SIZE = 4096;

/** The subject-index bucket of the record with sequence number `seq`. */
export function subjectBucket(seq: number): number {
  return Math.floor(seq / SUBJECT_BUCKET_SIZE);
}
