import type { Logger } from '../../common/logger';
import type { AuditRecord } from './audit-record';
import type { AuditWriter, IndexEntry } from './audit-writer';

/** Subjects indexed per transaction, about (whole records are never split). */
const ROWS_PER_TRANSACTION = 1000;

/**
 * Keeps the subject index behind the committed records by at most about a
 * second, written in large sorted batches. The index is derived from the
 * hashed records, so it need not be in their transaction: a response waits
 * for its record, never for the index. Written per commit group, the random
 * keys of a page of residents cost the gateway a sixth of its CPU in the
 * benchmark; a second's worth at once shares the index pages it touches,
 * written in short transactions so that requests run in between.
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
    this.running = this.write(batch).finally(() => {
      this.running = null;
    });
    await this.running;
  }

  /**
   * In runs of whole records of about ROWS_PER_TRANSACTION subjects, in
   * sequence order (so everything up to the highest indexed sequence number
   * stays indexed), letting requests run in between: a second's subjects in
   * one synchronous transaction held the event loop for tens of milliseconds.
   */
  private async write(batch: IndexEntry[]): Promise<void> {
    for (let start = 0; start < batch.length; ) {
      let end = start;
      for (let rows = 0; end < batch.length && rows < ROWS_PER_TRANSACTION; end += 1) rows += batch[end]!.subjects.length;
      try {
        await this.writer.index(batch.slice(start, end));
      } catch (error) {
        // Kept, ahead of anything newer, and tried again; the records themselves are safe.
        this.pending = [...batch.slice(start), ...this.pending];
        this.logger.error({ err: error, records: batch.length - start }, 'could not write the audit subject index; will retry');
        this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
        return;
      }
      start = end;
      if (start < batch.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
