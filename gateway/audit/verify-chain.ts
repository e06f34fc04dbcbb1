import { canonicalForm, chainHash, GENESIS_HASH, type AuditRecord } from './audit-record';

/** The chain head as last written outside the database. */
export interface Anchor {
  seq: number;
  hash: string;
}

export type Verdict =
  | { intact: true; records: number; /** Records above the subject index's high-water mark, not indexed yet. */ unindexed?: number }
  | { intact: false; seq: number; problem: 'edited' | 'missing' | 'reordered' | 'truncated'; detail: string };

/**
 * Walks the chain in stored order and names the first record that was
 * edited (its hash no longer matches), deleted or is missing (a gap in the
 * sequence), reordered (it does not follow its predecessor), or a tail cut
 * off (the chain ends before the anchor). A chain rebuilt without the key
 * fails at its first record.
 */
export function verifyChain(key: Buffer, records: Iterable<AuditRecord>, anchor?: Anchor | null): Verdict {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (const record of records) {
    if (record.seq !== expectedSeq) {
      return record.seq > expectedSeq
        ? { intact: false, seq: expectedSeq, problem: 'missing', detail: `record ${expectedSeq} is missing (next stored is ${record.seq})` }
        : { intact: false, seq: record.seq, problem: 'reordered', detail: `record ${record.seq} appears after ${expectedSeq - 1}` };
    }
    if (record.prevHash !== prevHash) {
      return { intact: false, seq: record.seq, problem: 'reordered', detail: `record ${record.seq} does not follow record ${record.seq - 1}` };
    }
    if (chainHash(key, record.prevHash, canonicalForm(record.seq, record)) !== record.hash) {
      return { intact: false, seq: record.seq, problem: 'edited', detail: `record ${record.seq} does not match its hash: edited, or sealed without the audit key` };
    }
    if (anchor && record.seq === anchor.seq && record.hash !== anchor.hash) {
      return { intact: false, seq: record.seq, problem: 'edited', detail: `record ${record.seq} differs from the anchored head` };
    }
    prevHash = record.hash;
    expectedSeq += 1;
    count += 1;
  }
  if (anchor && anchor.seq > count) {
    return { intact: false, seq: count + 1, problem: 'truncated', detail: `the chain ends at ${count}, but record ${anchor.seq} was anchored` };
  }
  return { intact: true, records: count };
}
