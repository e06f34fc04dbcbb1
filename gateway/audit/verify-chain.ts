import { canonicalForm, chainHash, GENESIS_HASH, type AuditRecord } from './audit-record';
import type { Anchor } from './anchor';

/**
 * Verifying the hash chain: records are checked one at a time, in stored
 * order, so a trail of any length is verified in constant memory.
 */

export type Problem = { intact: false; seq: number; problem: 'edited' | 'missing' | 'reordered' | 'truncated'; detail: string };

export type Verdict =
  | {
      intact: true;
      records: number;
      /** Records above the subject index's high-water mark, not indexed yet. */
      unindexed?: number;
      /** When a shutdown left a spool: how many of its records are not in the chain yet (the next start replays them). */
      spooled?: number;
    }
  | Problem;

/**
 * Names the first record that was edited (its hash no longer matches),
 * deleted or is missing (a gap in the sequence), reordered (it does not
 * follow its predecessor), or a tail cut off (the chain ends before the
 * anchor). A chain rebuilt without the key fails at its first record.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;

  constructor(
    private readonly key: Buffer,
    private readonly anchor?: Anchor | null,
  ) {}

  /** Records checked so far, all intact. */
  get records(): number {
    return this.expectedSeq - 1;
  }

  /** Checks the next stored record: the problem with it, or null if it continues the chain. */
  next(record: AuditRecord): Problem | null {
    const expected = this.expectedSeq;
    if (record.seq !== expected) {
      return record.seq > expected
        ? { intact: false, seq: expected, problem: 'missing', detail: `record ${expected} is missing (next stored is ${record.seq})` }
        : { intact: false, seq: record.seq, problem: 'reordered', detail: `record ${record.seq} appears after ${expected - 1}` };
    }
    if (record.prevHash !== this.prevHash) {
      return {
        intact: false,
        seq: record.seq,
        problem: 'reordered',
        detail: `record ${record.seq} does not follow record ${record.seq - 1}`,
      };
    }
    if (chainHash(this.key, record.prevHash, canonicalForm(record.seq, record)) !== record.hash) {
      return {
        intact: false,
        seq: record.seq,
        problem: 'edited',
        detail: `record ${record.seq} does not match its hash: edited, or sealed without the audit key`,
      };
    }
    if (this.anchor && record.seq === this.anchor.seq && record.hash !== this.anchor.hash) {
      return { intact: false, seq: record.seq, problem: 'edited', detail: `record ${record.seq} differs from the anchored head` };
    }
    this.prevHash = record.hash;
    this.expectedSeq += 1;
    return null;
  }

  /** The verdict once every stored record was checked and none had a problem. */
  end(): Verdict {
    const count = this.records;
    if (this.anchor && this.anchor.seq > count) {
      return {
        intact: false,
        seq: count + 1,
        problem: 'truncated',
        detail: `the chain ends at ${count}, but record ${this.anchor.seq} was anchored`,
      };
    }
    return { intact: true, records: count };
  }
}

/** Verifies a whole chain held in memory (see ChainVerifier). */
export function verifyChain(key: Buffer, records: Iterable<AuditRecord>, anchor?: Anchor | null): Verdict {
  const verifier = new ChainVerifier(key, anchor);
  for (const record of records) {
    const problem = verifier.next(record);
    if (problem) return problem;
  }
  return verifier.end();
}
