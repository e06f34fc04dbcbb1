import type { DataSource } from 'typeorm';
import { readAnchor } from './anchor';
import { UnreadableRecordError } from './audit-rows';
import { subjectKeyer } from './subject-key';
import { TrailStorage } from './trail-storage';
import { ChainVerifier, type Verdict } from './verify-chain';
import { SubjectIndexVerifier } from './verify-index';

/**
 * What `npm run audit:verify` runs: the stored trail streamed in sequence
 * order, a page at a time, through the chain's verifier (against the anchor)
 * and the subject index's. Memory does not grow with the trail.
 */
export async function verifyAuditTrail(dataSource: DataSource, key: Buffer, anchorFile: string): Promise<Verdict> {
  const storage = new TrailStorage(dataSource);
  const chain = new ChainVerifier(key, readAnchor(anchorFile, key));
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
  return indexed.unindexed > 0 ? { ...verdict, unindexed: indexed.unindexed } : verdict;
}
