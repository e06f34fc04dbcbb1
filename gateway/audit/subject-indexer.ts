import type { Logger } from '../../common/logger';
import type { AuditRecord } from './audit-record';
import type { AuditWriter, IndexEntry } from './audit-writer';

/**
 * Keeps the subject index behind the committed records by at most about a
 * second, written in large sorted batches. The index is derived from the
 * hashed records, so it need not be in their transaction: a response waits
 * for its record, never for the index. Written per commit group, the random
 * keys of a page of residents cost the gateway a sixth of its CPU in the
 * benchmark; a second's worth at once shares the index pages it touches.
 *
 * Batches go in sequence order, so every record up to the highest indexed
 * sequence number is indexed; on open, the store indexes whatever lies above
 * it (after a crash, or after the migration to keyed rows).
 */
export class SubjectIndexer {
  private pending: IndexEntry[] = [];
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: AuditWriter,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    private readonly maxPending = 5000,
  ) {}

  /** Queues the subjects of records just committed, in sequence order. */
  add(records: AuditRecord[]): void {
    for (const record of records) if (record.subjects.length > 0) this.pending.push({ seq: record.seq, subjects: record.subjects });
    if (this.pending.length >= this.maxPending) void this.flush();
    else if (this.pending.length > 0) this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
  }

  /** Writes everything queued so far; resolves once it is in the index (or the attempt failed and was logged). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.running = this.writer
      .index(batch)
      .catch((error: unknown) => {
        // Kept, ahead of anything newer, and tried again; the records themselves are safe.
        this.pending = [...batch, ...this.pending];
        this.logger.error({ err: error, records: batch.length }, 'could not write the audit subject index; will retry');
        this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
      })
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }
}
