import { createHmac } from 'node:crypto';
import type { Subject } from './audit-record';

/** The subject index's key for one subject: 64 bits of a keyed hash of its type and id. */
export type SubjectKeyer = (subject: Subject) => bigint;

/**
 * Keys the subject index under a key derived from the audit chain's key, so
 * the index holds no raw ids and cannot be matched to subjects without the
 * key. Two subjects sharing a key is a 2^-64 chance, and harmless: every
 * lookup is checked against the hashed record, which names the subject.
 */
export function subjectKeyer(auditKey: Buffer): SubjectKeyer {
  const indexKey = createHmac('sha256', auditKey).update('govgraph audit subject index v1').digest();
  return (subject) => createHmac('sha256', indexKey).update(`${subject.type}\0${subject.id}`).digest().readBigInt64BE(0);
}
