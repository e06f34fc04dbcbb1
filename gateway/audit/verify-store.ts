import type { DataSource } from 'typeorm';
import { readAnchor, type Anchor } from './anchor';
import { UnreadableRecordError } from './audit-rows';
import { defaultSpoolFile, readSpool, spooledInTrail, SpoolError, type SpoolFault } from './spool';
import { subjectKeyer } from './subject-key';
import { TrailStorage } from './trail-storage';
import { ChainVerifier, type Verdict } from './verify-chain';
import { SubjectIndexVerifier } from './verify-index';

/** A spool that must not be replayed: edited, cut short, missing although the anchor names it, or not continuing this trail. */
export interface SpoolProblem {
  intact: false;
  spool: SpoolFault;
  detail: string;
}

export type TrailVerdict = Verdict | SpoolProblem;

/**
 * What `npm run audit:verify` runs: the stored trail streamed in sequence
 * order, a page at a time, through the chain's verifier (against the anchor)
 * and the subject index's; then the spool a shutdown may have left, checked
 * against its seal, the anchor and the trail. Memory does not grow with the
 * trail.
 */
export async function verifyAuditTrail(
  dataSource: DataSource,
  key: Buffer,
  anchorFile: string,
  spoolFile: string = defaultSpoolFile(anchorFile),
): Promise<TrailVerdict> {
  const storage = new TrailStorage(dataSource);
  const anchor = readAnchor(anchorFile, key);
  const chain = new ChainVerifier(key, anchor);
  const index = new SubjectIndexVerifier(storage, subjectKeyer(key));
  for await (const record of storage.records()) {
    // Every record before it is intact: it is the first problem.
    if (record instanceof UnreadableRecordError) return { intact: false, seq: record.seq, problem: 'edited', detail: record.message };
    const problem = chain.next(record);
    if (problem) return problem;
    await index.next(record);
  }
  const verdict = chain.end();
  if (!verdict.intact) return verdict;
  // A problem of the index counts only once the chain, which says what the index should say, is intact.
  const indexed = await index.end(verdict.records);
  if (!indexed.intact) return indexed;
  const complete = indexed.unindexed > 0 ? { ...verdict, unindexed: indexed.unindexed } : verdict;
  return verifySpool(storage, key, anchor, spoolFile, complete);
}

/** The verdict on an intact trail, with what its spool holds that the chain does not, or the spool's problem. */
async function verifySpool(
  storage: TrailStorage,
  key: Buffer,
  anchor: Anchor | null,
  file: string,
  verdict: Verdict,
): Promise<TrailVerdict> {
  try {
    const spool = readSpool(file, key);
    if (!spool) {
      if (anchor?.spool) throw new SpoolError('missing', file, `is missing, though the anchor names it (${anchor.spool.entries} records)`);
      return verdict;
    }
    if (anchor?.spool && anchor.spool.mac !== spool.mac) throw new SpoolError('edited', file, 'is not the one the anchor names');
    const present = await spooledInTrail(file, spool, key, storage);
    return { ...verdict, spooled: spool.entries.length - present.size } as Verdict;
  } catch (error) {
    if (error instanceof SpoolError) return { intact: false, spool: error.fault, detail: error.message };
    throw error;
  }
}

/** What audit:verify prints for a verdict, and its exit code: 0 intact, 1 broken, 3 records still waiting in the spool. */
export function reportVerdict(verdict: TrailVerdict, spoolFile: string): { text: string; code: number } {
  if ('spool' in verdict) return { text: `audit spool BROKEN (${verdict.spool}): ${verdict.detail}`, code: 1 };
  if (!verdict.intact) return { text: `audit trail BROKEN at record ${verdict.seq} (${verdict.problem}): ${verdict.detail}`, code: 1 };
  const tail = verdict.unindexed ? ` (the last ${verdict.unindexed} not in the subject index yet)` : '';
  if (verdict.spooled) {
    return {
      text:
        `audit trail not complete: ${verdict.records} records intact${tail}, and ${verdict.spooled} more waiting in the spool ` +
        `${spoolFile}, not yet in the chain (the gateway replays them when it next starts)`,
      code: 3,
    };
  }
  const spool =
    verdict.spooled === 0
      ? `; the spool ${spoolFile} holds only records already in the chain (the gateway removes it when it next starts)`
      : '';
  return { text: `audit trail intact: ${verdict.records} records${tail}${spool}`, code: 0 };
}
