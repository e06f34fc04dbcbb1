import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { GovgraphError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { GENESIS_HASH, sealRecord, type AuditEntry, type AuditRecord, type Subject } from './audit-record';
import { subjectsOf } from './audit-rows';
import type { Anchor } from './verify-chain';
import { createAuditWriter, type AuditWriter } from './audit-writer';
import { SUBJECT_BUCKET_SIZE, subjectKeyer } from './subject-key';
import { SubjectIndexer, type IndexedRecord } from './subject-indexer';
import { offsetsIn, postingGroup } from './subject-postings';

export class AuditUnavailableError extends GovgraphError {
  constructor() {
    super('AUDIT_UNAVAILABLE', 'The audit trail cannot record this request now; try again shortly');
  }
}

interface Pending {
  entry: AuditEntry;
  waiters: { resolve: (seq: number) => void; reject: (error: Error) => void }[];
}

const BATCH = 500;
/** How long a record nobody waits for may wait to share a commit with others. */
const LATER_MS = 25;
/** Posting lists (one per bucket) read per query of a subject's history. */
const POSTINGS_PER_LOOKUP = 256;

/**
 * Appends audit records in commit groups: every record that arrives while a
 * commit is under way goes into the next one, so auditing costs one
 * transaction per batch, not per request. Sequence numbers are assigned at
 * commit, so they stay gapless. A record nobody waits for that cannot be
 * committed stays queued and is written when the store recovers; a waiter
 * learns of the failure at once and records the outcome it then chose.
 */
export class AuditStore {
  private head = { seq: 0, hash: GENESIS_HASH };
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private anchoredAt = 0;
  /** Transactions committed: fewer than records when requests arrive together. */
  commits = 0;
  private lastCommitOk = true;
  private resync = false;
  private anchorTimer: NodeJS.Timeout | undefined;
  private laterTimer: NodeJS.Timeout | undefined;
  private anchoring: Promise<void> = Promise.resolve();
  private readonly writer: AuditWriter;
  private readonly indexer: SubjectIndexer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly key: Buffer,
    private readonly anchorFile: string,
    private readonly logger: Logger,
  ) {
    this.writer = createAuditWriter(dataSource);
    this.indexer = new SubjectIndexer(this.writer, subjectKeyer(key), logger);
  }

  /** Writes the subject index of every full bucket still in memory. */
  flushSubjectIndex(): Promise<void> {
    return this.indexer.flush();
  }

  /**
   * Sequence numbers of the records whose subjects include this one, newest
   * first, at most `limit` (and, once in 2^52, a record of another subject
   * with the same key: the caller checks the records). Committed records are
   * found at once: the newest buckets from memory, older ones from their
   * posting lists, one list per bucket.
   */
  async subjectHistory(subject: Subject, limit: number): Promise<number[]> {
    const key = this.indexer.keyOf(subject);
    const seqs = this.indexer.findInMemory(key).slice(0, limit);
    const group = postingGroup(key);
    for (let below = this.indexer.firstInMemory; seqs.length < limit && below > 0; ) {
      const rows: { bucket: number | string; entries: Buffer }[] = await this.dataSource
        .createQueryBuilder()
        .select(['p.bucket AS bucket', 'p.entries AS entries'])
        .from('audit_subject_posting', 'p')
        .where('p.grp = :group AND p.bucket < :below', { group, below })
        .orderBy('p.bucket', 'DESC')
        .limit(POSTINGS_PER_LOOKUP)
        .getRawMany();
      for (const row of rows) {
        const bucket = Number(row.bucket);
        seqs.push(...offsetsIn(row.entries, key).map((offset) => bucket * SUBJECT_BUCKET_SIZE + offset).reverse());
        below = bucket;
      }
      if (rows.length < POSTINGS_PER_LOOKUP) break;
    }
    return seqs.slice(0, limit);
  }

  /**
   * Continues the chain from the stored head, but only if the head still
   * reaches the anchor: a tail cut off while the gateway was down must not
   * be papered over by new records under the same numbers.
   */
  async open(): Promise<void> {
    await this.readHead();
    const anchor = this.readAnchor();
    if (anchor) {
      const [anchored] = await this.dataSource.query(`SELECT hash FROM audit_event WHERE seq = ${Number(anchor.seq)}`);
      if (this.head.seq < anchor.seq || !anchored || String(anchored.hash) !== anchor.hash) {
        throw new Error(`the audit trail no longer reaches its anchored record ${anchor.seq}: run npm run audit:verify before starting`);
      }
    }
    await this.rebuildSubjectIndex();
  }

  /**
   * Rebuilds from the hashed records whatever of the subject index the
   * database does not hold as closed: the open bucket (kept in memory), and
   * full buckets a crash kept from being written (or, after the migration to
   * posting lists, every bucket), which are written before this resolves.
   */
  private async rebuildSubjectIndex(): Promise<void> {
    const [closed] = await this.dataSource.query('SELECT MAX(bucket) AS bucket FROM audit_subject_bucket');
    const first = closed?.bucket === null || closed?.bucket === undefined ? 0 : Number(closed.bucket) + 1;
    await this.indexer.restart(first);
    let after = first * SUBJECT_BUCKET_SIZE - 1;
    let indexed = 0;
    for (;;) {
      // Packed subjects of no one are the format byte alone.
      const rows: Record<string, unknown>[] = await this.dataSource.query(
        `SELECT seq, subjects, subject_ids FROM audit_event WHERE seq > ${after} AND (subject_ids IS NULL AND subjects <> '[]' OR length(subject_ids) > 1) ORDER BY seq LIMIT 5000`,
      );
      if (rows.length === 0) break;
      const records: IndexedRecord[] = rows.map((row) => ({ seq: Number(row.seq), subjects: subjectsOf(row) }));
      this.indexer.add(records);
      await this.indexer.flush();
      indexed += records.length;
      after = records[records.length - 1]!.seq;
    }
    // The head's bucket is the open one, whether or not its records name anybody.
    this.indexer.add([{ seq: this.head.seq, subjects: [] }]);
    await this.indexer.flush();
    if (indexed > 0) this.logger.info({ records: indexed }, 'rebuilt the subject index of audit records');
  }

  private async readHead(): Promise<void> {
    const [last] = await this.dataSource.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    this.head = last ? { seq: Number(last.seq), hash: String(last.hash) } : { seq: 0, hash: GENESIS_HASH };
  }

  /** Resolves with the record's sequence number once it is committed. */
  append(entry: AuditEntry): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, waiters: [{ resolve, reject }] });
      this.schedule();
    });
  }

  /**
   * Records without waiting (the caller's answer does not depend on it);
   * still never dropped. It goes with the next commit a waiter starts, or on
   * its own within LATER_MS: fewer, fuller commits (a commit costs about the
   * same for one record as for several).
   */
  appendLater(entry: AuditEntry): void {
    this.queue.push({ entry, waiters: [] });
    this.scheduleLater();
  }

  /** Commits everything queued, trying for a few seconds if the store is down; used at shutdown. */
  async drain(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    clearTimeout(this.laterTimer);
    this.laterTimer = undefined;
    for (let attempt = 0; attempt < 10 && (this.queue.length > 0 || this.flushing); attempt += 1) {
      if (attempt > 0 && !this.flushing) await new Promise((resolve) => setTimeout(resolve, 300));
      await (this.flushing ?? this.flush());
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    if (this.queue.length > 0) this.logger.error({ records: this.queue.length }, 'audit records could not be written before shutdown');
    await this.indexer.flush();
    await this.writeAnchor();
  }

  /** False while the last commit failed: the gateway is then not ready for personal data. */
  get healthy(): boolean {
    return this.lastCommitOk;
  }

  get pending(): number {
    return this.queue.length;
  }

  readAnchor(): Anchor | null {
    return readAnchor(this.anchorFile, this.key);
  }

  private schedule(): void {
    if (!this.flushing) setImmediate(() => void this.flush());
  }

  private scheduleLater(): void {
    this.laterTimer ??= setTimeout(() => {
      this.laterTimer = undefined;
      this.schedule();
    }, LATER_MS).unref();
  }

  private flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return this.flushing ?? Promise.resolve();
    const batch = this.queue.splice(0, BATCH);
    this.flushing = this.commit(batch)
      .then(
        () => {
          for (const [i, item] of batch.entries()) for (const waiter of item.waiters) waiter.resolve(this.head.seq - batch.length + 1 + i);
          // The anchor follows the head within about a second, also when traffic stops.
          if (Date.now() - this.anchoredAt > 1000) void this.writeAnchor();
          else this.anchorTimer ??= setTimeout(() => {
            this.anchorTimer = undefined;
            void this.writeAnchor();
          }, 1000).unref();
        },
        (error: unknown) => {
          this.lastCommitOk = false;
          // A commit may have gone through although its answer was lost: start again from the stored head.
          this.resync = true;
          this.logger.error({ err: error, records: batch.length }, 'audit commit failed; records kept for retry');
          // Records nobody waits for are kept, in order, ahead of anything newer. A waiter is told
          // now and records what actually happened instead (its response was withheld).
          this.queue = [...batch.filter((item) => item.waiters.length === 0), ...this.queue];
          for (const item of batch) for (const waiter of item.waiters) waiter.reject(new AuditUnavailableError());
          this.retryTimer ??= setTimeout(() => {
            this.retryTimer = undefined;
            this.schedule();
          }, 500);
        },
      )
      .finally(() => {
        this.flushing = null;
        if (this.retryTimer || this.queue.length === 0) return;
        if (this.queue.some((item) => item.waiters.length > 0)) this.schedule();
        else this.scheduleLater();
      });
    return this.flushing;
  }

  private async commit(batch: Pending[]): Promise<void> {
    if (this.resync) {
      await this.readHead();
      // The records of a commit whose answer was lost are in the trail but not in the index.
      await this.rebuildSubjectIndex();
      this.resync = false;
    }
    let { seq, hash } = this.head;
    const records: AuditRecord[] = batch.map((item) => {
      seq += 1;
      const record = sealRecord(this.key, seq, hash, item.entry);
      hash = record.hash;
      return record;
    });
    await this.writer.write(records);
    this.indexer.add(records);
    this.head = { seq, hash };
    this.commits += 1;
    this.lastCommitOk = true;
  }

  /**
   * Off the event loop: a rename can take milliseconds on some filesystems.
   * Writes follow one another, each with the head as it was when asked for.
   */
  private writeAnchor(): Promise<void> {
    if (this.head.seq === 0) return this.anchoring;
    this.anchoredAt = Date.now();
    const head = { ...this.head };
    this.anchoring = this.anchoring
      .then(() => writeAnchor(this.anchorFile, this.key, head))
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not write the audit anchor'));
    return this.anchoring;
  }
}

function anchorMac(key: Buffer, anchor: Anchor): string {
  return createHmac('sha256', key).update(`anchor\n${anchor.seq}\n${anchor.hash}`).digest('hex');
}

/** The chain head, kept outside the database so a truncated tail is detected too. */
export async function writeAnchor(file: string, key: Buffer, anchor: Anchor): Promise<void> {
  const draft = `${file}.${process.pid}.tmp`;
  await writeFile(draft, JSON.stringify({ seq: anchor.seq, hash: anchor.hash, at: new Date().toISOString(), mac: anchorMac(key, anchor) }), { mode: 0o600 });
  await rename(draft, file);
}

export function readAnchor(file: string, key: Buffer): Anchor | null {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = JSON.parse(raw) as { seq: number; hash: string; mac: string };
  if (anchorMac(key, parsed) !== parsed.mac) throw new Error(`the audit anchor ${file} was not written with the audit key`);
  return { seq: parsed.seq, hash: parsed.hash };
}
