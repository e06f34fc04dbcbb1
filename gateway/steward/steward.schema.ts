import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { BadUserInputError } from '../../common/errors';
import { isGrantActive } from '../access/decide';
import type { Catalog } from '../access/policy';
import { auditRowQuery, fromRow } from '../audit/audit-rows';
import type { GrantStore } from '../grants/grant-store';
import { STEWARD_SDL } from './steward.sdl';
import type { Subject } from '../audit/audit-record';

/** The steward subgraph's name in the supergraph. */
export const STEWARD_SUBGRAPH = 'steward';

export interface StewardDependencies {
  dataSource: DataSource;
  catalog: Catalog;
  grants: GrantStore;
  /** Sequence numbers of the audit records naming a subject, newest first (the audit store's subject index). */
  subjectHistory: (subject: Subject, limit: number) => Promise<number[]>;
}

interface AuditFilter {
  from?: string | null;
  to?: string | null;
  sub?: string | null;
  department?: string | null;
  purpose?: string | null;
  coordinate?: string | null;
  decision?: string | null;
  outcome?: string | null;
}

const DECISIONS = ['allow', 'mask', 'deny'];
const OUTCOMES = ['ok', 'partial', 'refused', 'error'];
/** Records of one subject's access history, newest first. */
const HISTORY_LIMIT = 500;

function instant(value: string | null | undefined, name: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new BadUserInputError(`${name} must be an ISO 8601 instant`);
  return new Date(parsed).toISOString();
}

/** Matches a fragment of the JSON text of a decision list. */
function likeJson(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function resolvers({ dataSource, catalog, grants, subjectHistory }: StewardDependencies) {
  return {
    Query: {
      async auditEvents(_: unknown, args: { filter?: AuditFilter | null; first?: number | null; after?: string | null }) {
        const first = args.first ?? 20;
        if (!Number.isInteger(first) || first < 0 || first > 100) throw new BadUserInputError('first must be between 0 and 100');
        const filter = args.filter ?? {};
        if (filter.decision && !DECISIONS.includes(filter.decision)) throw new BadUserInputError(`decision must be one of ${DECISIONS.join(', ')}`);
        if (filter.outcome && !OUTCOMES.includes(filter.outcome)) throw new BadUserInputError(`outcome must be one of ${OUTCOMES.join(', ')}`);
        const query = auditRowQuery(dataSource);
        const from = instant(filter.from, 'from');
        const to = instant(filter.to, 'to');
        if (from) query.andWhere('e.at >= :from', { from });
        if (to) query.andWhere('e.at < :to', { to });
        for (const column of ['sub', 'department', 'purpose', 'outcome'] as const) {
          if (filter[column]) query.andWhere(`e.${column} = :${column}`, { [column]: filter[column] });
        }
        if (filter.coordinate || filter.decision) {
          const coordinate = filter.coordinate ? JSON.stringify(filter.coordinate) : undefined;
          const decision = filter.decision ? `"${filter.decision}"` : undefined;
          // Decision lists are [coordinate, decision, grant] arrays, kept once each in audit_decision_list;
          // records written before 2026-11-23 hold theirs in the row, and before 2026-11-22 as objects.
          const stored = coordinate ? `[${coordinate},${decision ?? ''}` : `",${decision},`;
          const earlier = [coordinate && `"coordinate":${coordinate}`, decision && `"decision":${decision}`].filter(Boolean).join(',');
          query.andWhere(
            "(e.decisions_ref IN (SELECT ref FROM audit_decision_list WHERE decisions LIKE :stored ESCAPE '\\') OR e.decisions LIKE :stored ESCAPE '\\' OR e.decisions LIKE :earlier ESCAPE '\\')",
            { stored: likeJson(stored), earlier: likeJson(earlier) },
          );
        }
        const total = query.clone();
        if (args.after) {
          const text = Buffer.from(args.after, 'base64url').toString('utf8');
          const seq = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
          if (!(seq <= 2_147_483_647)) throw new BadUserInputError('after is not a cursor returned by this list');
          query.andWhere('e.seq < :after', { after: seq });
        }
        const rows: Record<string, unknown>[] = await query.orderBy('e.seq', 'DESC').limit(first + 1).getRawMany();
        const nodes = rows.slice(0, first).map(fromRow);
        const cursor = (seq: number) => Buffer.from(String(seq)).toString('base64url');
        return {
          nodes,
          edges: nodes.map((node) => ({ cursor: cursor(node.seq), node })),
          pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length > 0 ? cursor(nodes[nodes.length - 1]!.seq) : null },
          totalCount: async () => Number((await total.select('COUNT(*)', 'n').getRawOne<{ n: number | string }>())?.n ?? 0),
        };
      },
      async accessHistory(_: unknown, args: { subjectType: string; subjectId: string }) {
        const subject = { type: args.subjectType, id: args.subjectId };
        const seqs = await subjectHistory(subject, HISTORY_LIMIT);
        if (seqs.length === 0) return [];
        const rows: Record<string, unknown>[] = await auditRowQuery(dataSource)
          .where('e.seq IN (:...seqs)', { seqs })
          .orderBy('e.seq', 'DESC')
          .getRawMany();
        // The index is a lookup aid; the hashed record must itself name the subject.
        return rows.map(fromRow).filter((record) => record.subjects.some((s) => s.type === subject.type && s.id === subject.id));
      },
      sharingCatalog: () =>
        [...catalog.values()]
          .sort((a, b) => a.coordinate.localeCompare(b.coordinate))
          .map((policy) => ({ ...policy, masker: policy.masker ?? null, roles: policy.roles ?? null })),
      async grants() {
        const now = new Date().toISOString();
        return (await grants.listAll()).map((grant) => ({ ...grant, active: isGrantActive(grant, now) }));
      },
    },
    FieldDecision: { grant: (decision: { grant?: string }) => decision.grant ?? null },
  };
}

/** The steward subgraph; without dependencies only its shape (for composition). */
export function buildStewardSchema(dependencies?: StewardDependencies): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(STEWARD_SDL), resolvers: (dependencies ? resolvers(dependencies) : {}) as never });
}

