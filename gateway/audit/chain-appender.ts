import { canonicalTail, sealRecord, type AuditEntry, type AuditRecord, type ChainHead } from './audit-record';
import type { AuditWriter } from './audit-writer';
import type { SubjectHistory } from './subject-history';
import type { TrailStorage } from './trail-storage';

/**
 * Continues the hash chain: seals entries as the records after the head the
 * writer reads inside its transaction (another replica may have moved it),
 * writes them in that transaction and indexes their subjects. Sequence
 * numbers are assigned there, at commit, so they stay gapless however many
 * writers share the trail.
 */
export class ChainAppender {
  private current: ChainHead = { seq: 0, hash: '' };

  constructor(
    private readonly key: Buffer,
    private readonly writer: AuditWriter,
    private readonly storage: TrailStorage,
    private readonly history: SubjectHistory,
  ) {}

  /** The newest record this process knows to be committed (its own, or read back). */
  get head(): ChainHead {
    return this.current;
  }

  /** Reads the head back from the database, and rebuilds from the records what the subject index lacks. */
  async resync(): Promise<void> {
    this.current = await this.storage.head();
    await this.history.rebuild(this.current.seq);
  }

  /** Commits entries as consecutive records; resolves with the first one's sequence number. */
  async append(entries: readonly AuditEntry[]): Promise<number> {
    // Built before the writer's turn at the trail, which then only numbers and hashes.
    const tails = entries.map(canonicalTail);
    const records = await this.writer.append((head) => {
      let { seq, hash } = head;
      return entries.map((entry, i): AuditRecord => {
        seq += 1;
        const record = sealRecord(this.key, seq, hash, entry, tails[i]);
        hash = record.hash;
        return record;
      });
    });
    this.history.add(records);
    const last = records[records.length - 1]!;
    if (last.seq > this.current.seq) this.current = { seq: last.seq, hash: last.hash };
    return records[0]!.seq;
  }
}
