import type { DataSource } from 'typeorm';
import { escapeLike } from '../../common/sql-like';
import type { AuditRecord, FieldVerdict, Outcome, Subject } from './audit-record';
import { auditRowQuery, fromRow } from './audit-rows';

/**
 * The trail as the steward API reads it: records by filter a page at a time,
 * and a subject's access history. Callers pass validated values and get
 * records; how they are stored stays in gateway/audit/.
 */

/** Conditions every listed record meets; an absent one does not filter. Instants are ISO 8601 in UTC. */
export interface EventFilter {
  from?: string;
  to?: string;
  sub?: string;
  department?: string;
  purpose?: string;
  outcome?: Outcome;
  /** The client's address, as recorded. */
  address?: string;
  /** The gateway's request id, or the client's own X-Request-Id. */
  requestId?: string;
  /** A field coordinate its decision list names (exactly). */
  coordinate?: string;
  /** A decision its list holds (for `coordinate`, if given). */
  decision?: FieldVerdict;
}

export interface EventPage {
  /** Newest first. */
  records: AuditRecord[];
  hasNextPage: boolean;
  /** Records matching the filter, on every page; counted only if asked for. */
  totalCount(): Promise<number>;
}

/** Sequence numbers of the records naming a subject, newest first, at most `limit`. */
export type SubjectLookup = (subject: Subject, limit: number) => Promise<number[]>;

/** Matches a fragment of the JSON text of a decision list. */
function likeJson(fragment: string): string {
  return `%${escapeLike(fragment)}%`;
}

export class AuditReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lookup: SubjectLookup,
  ) {}

  /** A page of `first` records matching the filter, newest first, all older than record `before` if given. */
  async events(filter: EventFilter, page: { first: number; before?: number }): Promise<EventPage> {
    const query = this.filtered(filter);
    const total = query.clone();
    if (page.before !== undefined) query.andWhere('e.seq < :before', { before: page.before });
    const rows: Record<string, unknown>[] = await query
      .orderBy('e.seq', 'DESC')
      .limit(page.first + 1)
      .getRawMany();
    return {
      records: rows.slice(0, page.first).map(fromRow),
      hasNextPage: rows.length > page.first,
      totalCount: async () => Number((await total.select('COUNT(*)', 'n').getRawOne<{ n: number | string }>())?.n ?? 0),
    };
  }

  /** The records with these sequence numbers, newest first. */
  async eventsBySeq(seqs: readonly number[]): Promise<AuditRecord[]> {
    if (seqs.length === 0) return [];
    const rows: Record<string, unknown>[] = await auditRowQuery(this.dataSource)
      .where('e.seq IN (:...seqs)', { seqs })
      .orderBy('e.seq', 'DESC')
      .getRawMany();
    return rows.map(fromRow);
  }

  /** The records that name a subject, newest first, at most `limit`. */
  async subjectHistory(subject: Subject, limit: number): Promise<AuditRecord[]> {
    const records = await this.eventsBySeq(await this.lookup(subject, limit));
    // The index is a lookup aid; the hashed record must itself name the subject.
    return records.filter((record) => record.subjects.some((s) => s.type === subject.type && s.id === subject.id));
  }

  private filtered(filter: EventFilter) {
    const query = auditRowQuery(this.dataSource);
    if (filter.from) query.andWhere('e.at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('e.at < :to', { to: filter.to });
    for (const column of ['sub', 'department', 'purpose', 'outcome', 'address'] as const) {
      if (filter[column]) query.andWhere(`e.${column} = :${column}`, { [column]: filter[column] });
    }
    if (filter.requestId)
      query.andWhere('(e.request_id = :requestId OR e.client_request_id = :requestId)', { requestId: filter.requestId });
    if (filter.coordinate || filter.decision) {
      // A decision list is stored as JSON [coordinate, decision, grant] arrays, each list once.
      const coordinate = filter.coordinate ? JSON.stringify(filter.coordinate) : undefined;
      const decision = filter.decision ? `"${filter.decision}"` : undefined;
      const stored = coordinate ? `[${coordinate},${decision ?? ''}` : `",${decision},`;
      query.andWhere("e.decisions_ref IN (SELECT ref FROM audit_decision_list WHERE decisions LIKE :stored ESCAPE '\\')", {
        stored: likeJson(stored),
      });
    }
    return query;
  }
}
