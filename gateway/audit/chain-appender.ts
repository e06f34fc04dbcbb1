import { sealRecord, type AuditEntry, type AuditRecord, type ChainHead } from './audit-record';
import type { AuditWriter } from './audit-writer';
import type { SubjectHistory } from './subject-history';
import type { TrailStorage } from './trail-storage';

/**
 * Whether the head in memory is the stored one. After a failed commit it may
 * not be: the commit may have gone through although its answer was lost.
 */
type Sync = 'in-step' | 'unsure';

/**
 * Continues the hash chain: seals entries as the records after the head,
 * writes them in one transaction and indexes their subjects. Sequence
 * numbers are assigned here, at commit, so they stay gapless.
 */
export class ChainAppender {
  private current: ChainHead = { seq: 0, hash: '' };
  private sync: Sync = 'unsure';

  constructor(
    private readonly key: Buffer,
    private readonly writer: AuditWriter,
    private readonly storage: TrailStorage,
    private readonly history: SubjectHistory,
  ) {}

  /** The newest record known to be committed. */
  get head(): ChainHead {
    return this.current;
  }

  /** Reads the head back from the database, and rebuilds from the records what the subject index lacks. */
  async resync(): Promise<void> {
    this.current = await this.storage.head();
    await this.history.rebuild(this.current.seq);
    this.sync = 'in-step';
  }

  /** Commits entries as consecutive records; resolves with the first one's sequence number. */
  async append(entries: readonly AuditEntry[]): Promise<number> {
    // The records of a commit whose answer was lost are in the trail but not in the index.
    if (this.sync === 'unsure') await this.resync();
    let { seq, hash } = this.current;
    const records: AuditRecord[] = entries.map((entry) => {
      seq += 1;
      const record = sealRecord(this.key, seq, hash, entry);
      hash = record.hash;
      return record;
    });
    try {
      await this.writer.write(records);
    } catch (error) {
      this.sync = 'unsure';
      throw error;
    }
    this.history.add(records);
    this.current = { seq, hash };
    return records[0]!.seq;
  }
}
