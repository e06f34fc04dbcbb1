import { createHmac } from 'node:crypto';
import type { Subject } from './audit-record';

/** Where the subject index files things: the key of a subject, the bucket of a record. Pure. */

/**
 * The subject index's key for one subject: 52 bits of a seeded hash of its
 * type and id, as an exact JavaScript number (no BigInt on the hot path).
 */
export type SubjectKeyer = (subject: Subject) => number;

/** cyrb53's multipliers (bryc, public domain): two 32-bit lanes, mixed one UTF-16 unit at a time. */
const M1 = 2654435761;
const M2 = 1597334677;
const F1 = 2246822507;
const F2 = 3266489909;

/**
 * Keys the subject index with cyrb53, a fast non-cryptographic 53-bit hash,
 * seeded with 64 bits derived from the audit chain's key. The index needs no
 * secrecy (the records it points to name their subjects), only an even
 * spread over its 4,096 key groups that nobody without the key can aim at
 * one group. Every subject of every response is keyed on the request path,
 * so a key must cost far less than a cryptographic hash through node:crypto.
 * Two subjects sharing a key is a 2^-52 chance, and harmless: every lookup is
 * checked against the hashed record, which names the subject.
 *
 * Changing this function (or the seed's label, which names the index's
 * third key function) changes every closed bucket's posting lists: it needs a
 * migration that drops and recreates the two index tables, which the store
 * then refills from the records when it next opens.
 */
export function subjectKeyer(auditKey: Buffer): SubjectKeyer {
  const seed = createHmac('sha256', auditKey).update('govgraph audit subject index v3').digest();
  const [seed1, seed2] = [seed.readInt32LE(0), seed.readInt32LE(4)];
  return ({ type, id }) => {
    let h1 = 0xdeadbeef ^ seed1;
    let h2 = 0x41c6ce57 ^ seed2;
    for (let i = 0; i < type.length; i += 1) {
      h1 = Math.imul(h1 ^ type.charCodeAt(i), M1);
      h2 = Math.imul(h2 ^ type.charCodeAt(i), M2);
    }
    // The type ends with a unit no string holds (above 0xffff), carrying its length: no two pairs run together.
    const end = 0x10000 + type.length;
    h1 = Math.imul(h1 ^ end, M1);
    h2 = Math.imul(h2 ^ end, M2);
    for (let i = 0; i < id.length; i += 1) {
      h1 = Math.imul(h1 ^ id.charCodeAt(i), M1);
      h2 = Math.imul(h2 ^ id.charCodeAt(i), M2);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), F1) ^ Math.imul(h2 ^ (h2 >>> 13), F2);
    h2 = Math.imul(h2 ^ (h2 >>> 16), F1) ^ Math.imul(h1 ^ (h1 >>> 13), F2);
    // 20 bits of one lane above the 32 of the other: 52 bits.
    return (h2 & 0xfffff) * 2 ** 32 + (h1 >>> 0);
  };
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
