import type { DataSource } from 'typeorm';
import { GENESIS_HASH, type AuditRecord, type ChainHead } from './audit-record';
import { auditRowQuery, fromRow, subjectsOf, UnreadableRecordError } from './audit-rows';
import type { StoredLink } from './spool';
import type { IndexedRecord } from './subject-indexer';
import { POSTING_GROUPS } from './subject-postings';

/**
 * The reads the audit store and audit:verify make of the trail's tables, on
 * SQLite and PostgreSQL alike. Every read that can grow with the trail is
 * paged by a key (sequence number, bucket), never by OFFSET and never whole,
 * so memory stays bounded however long the trail gets.
 */

/** A stored posting list: the bucket it indexes and its (key, record) pairs. */
export interface StoredPosting {
  group: number;
  bucket: number;
  entries: Buffer;
}

/** Rows read per page when walking the trail. */
const PAGE = 5000;

export class TrailStorage {
  constructor(private readonly dataSource: DataSource) {}

  /** The newest stored record's number and hash. */
  async head(): Promise<ChainHead> {
    const [last] = await this.dataSource.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    return last ? { seq: Number(last.seq), hash: String(last.hash) } : { seq: 0, hash: GENESIS_HASH };
  }

  /** The hash stored for record `seq`, or null if there is none. */
  async hashAt(seq: number): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT hash FROM audit_event WHERE seq = ${Math.trunc(seq)}`);
    return row ? String(row.hash) : null;
  }

  /**
   * The records after `after` with one of these request ids, stamped between
   * `from` and `to` (the index on the time keeps the search to the few
   * seconds a spool covers).
   */
  async linksOf(after: number, requestIds: readonly string[], from: string, to: string): Promise<StoredLink[]> {
    const wanted = new Set(requestIds);
    const links: StoredLink[] = [];
    for (let last = Math.trunc(after); ; ) {
      const rows: { seq: number | string; request_id: string; prev_hash: string; hash: string }[] = await this.dataSource
        .createQueryBuilder()
        .select(['e.seq AS seq', 'e.request_id AS request_id', 'e.prev_hash AS prev_hash', 'e.hash AS hash'])
        .from('audit_event', 'e')
        .where('e.at >= :from AND e.at <= :to AND e.seq > :last', { from, to, last })
        .orderBy('e.seq', 'ASC')
        .limit(PAGE)
        .getRawMany();
      for (const row of rows) {
        last = Number(row.seq);
        if (wanted.has(row.request_id)) links.push({ seq: last, requestId: row.request_id, prevHash: row.prev_hash, hash: row.hash });
      }
      if (rows.length < PAGE) return links;
    }
  }

  /** Every record in sequence order, or for a row that cannot be read, why. */
  async *records(): AsyncGenerator<AuditRecord | UnreadableRecordError> {
    for (let after = -1; ; ) {
      const rows = await auditRowQuery(this.dataSource).where('e.seq > :after', { after }).orderBy('e.seq', 'ASC').limit(PAGE).getRawMany();
      for (const row of rows) {
        after = Number(row.seq);
        try {
          yield fromRow(row);
        } catch (error) {
          if (!(error instanceof UnreadableRecordError)) throw error;
          yield error;
        }
      }
      if (rows.length < PAGE) return;
    }
  }

  /** The subjects of the records after `after` (up to `upTo`, if given) that name anybody, in sequence order, a page at a time. */
  async *subjectsAfter(after: number, upTo?: number): AsyncGenerator<IndexedRecord[]> {
    const bound = upTo === undefined ? '' : ` AND seq <= ${Math.trunc(upTo)}`;
    for (;;) {
      // Packed subjects of no one are the format byte alone; JSON is kept only for a list that names somebody.
      const rows: Record<string, unknown>[] = await this.dataSource.query(
        `SELECT seq, subjects, subject_ids FROM audit_event WHERE seq > ${Math.trunc(after)}${bound} AND (subjects IS NOT NULL OR length(subject_ids) > 1) ORDER BY seq LIMIT ${PAGE}`,
      );
      if (rows.length === 0) return;
      const records = rows.map((row) => ({ seq: Number(row.seq), subjects: subjectsOf(row) }));
      yield records;
      after = records[records.length - 1]!.seq;
    }
  }

  /** The newest bucket the subject index holds as complete, or null if none is. */
  async lastClosedBucket(): Promise<number | null> {
    const [closed] = await this.dataSource.query('SELECT MAX(bucket) AS bucket FROM audit_subject_bucket');
    return closed?.bucket === null || closed?.bucket === undefined ? null : Number(closed.bucket);
  }

  /** The pairs a bucket's index was closed with, or null if it is not closed. */
  async closedBucket(bucket: number): Promise<number | null> {
    const [row] = await this.dataSource.query(`SELECT entries FROM audit_subject_bucket WHERE bucket = ${Math.trunc(bucket)}`);
    return row ? Number(row.entries) : null;
  }

  /** The oldest bucket from `bucket` on that the index holds as closed, or null. */
  async firstClosedFrom(bucket: number): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT MIN(bucket) AS bucket FROM audit_subject_bucket WHERE bucket >= ${Math.trunc(bucket)}`,
    );
    return row?.bucket === null || row?.bucket === undefined ? null : Number(row.bucket);
  }

  /** One key group's posting lists of the buckets below `below`, newest first, at most `limit`. */
  async postingsBelow(group: number, below: number, limit: number): Promise<StoredPosting[]> {
    const rows: { bucket: number | string; entries: Buffer }[] = await this.dataSource
      .createQueryBuilder()
      .select(['p.bucket AS bucket', 'p.entries AS entries'])
      .from('audit_subject_posting', 'p')
      .where('p.grp = :group AND p.bucket < :below', { group, below })
      .orderBy('p.bucket', 'DESC')
      .limit(limit)
      .getRawMany();
    return rows.map((row) => ({ group, bucket: Number(row.bucket), entries: Buffer.from(row.entries) }));
  }

  /**
   * A bucket's posting lists by group: one primary-key seek per group (the
   * key leads with the group, so a condition on the bucket alone would scan
   * the whole index).
   */
  async bucketPostings(bucket: number): Promise<Map<number, Buffer>> {
    const rows: { grp: number | string; entries: Buffer }[] = await this.dataSource.query(
      `WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < ${POSTING_GROUPS - 1})
       SELECT p.grp AS grp, p.entries AS entries FROM g JOIN audit_subject_posting p ON p.grp = g.n AND p.bucket = ${Math.trunc(bucket)}`,
    );
    return new Map(rows.map((row) => [Number(row.grp), Buffer.from(row.entries)]));
  }

  /** Posting lists no lookup reads: in buckets from `bucket` on, or under a group no key falls in; a page at a time. */
  async *strayPostings(bucket: number): AsyncGenerator<StoredPosting[]> {
    for (let after: StoredPosting | undefined; ; ) {
      const query = this.dataSource
        .createQueryBuilder()
        .select(['p.grp AS grp', 'p.bucket AS bucket', 'p.entries AS entries'])
        .from('audit_subject_posting', 'p')
        .where('(p.bucket >= :bucket OR p.grp < 0 OR p.grp >= :groups)', { bucket, groups: POSTING_GROUPS });
      if (after) query.andWhere('(p.grp > :group OR (p.grp = :group AND p.bucket > :last))', { group: after.group, last: after.bucket });
      const rows: { grp: number | string; bucket: number | string; entries: Buffer }[] = await query
        .orderBy('p.grp', 'ASC')
        .addOrderBy('p.bucket', 'ASC')
        .limit(PAGE)
        .getRawMany();
      const postings = rows.map((row) => ({ group: Number(row.grp), bucket: Number(row.bucket), entries: Buffer.from(row.entries) }));
      if (postings.length > 0) yield postings;
      if (postings.length < PAGE) return;
      after = postings[postings.length - 1];
    }
  }
}
