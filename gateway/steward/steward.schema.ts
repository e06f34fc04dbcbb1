import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { BadUserInputError } from '../../common/errors';
import { isGrantActive } from '../access/decide';
import type { Catalog } from '../access/policy';
import { fromRow } from '../audit/audit-store';
import type { GrantStore } from '../grants/grant-store';
import { STEWARD_SDL } from './steward.sdl';
import type { SubjectKeyer } from '../audit/subject-key';

/** The steward subgraph's name in the supergraph. */
export const STEWARD_SUBGRAPH = 'steward';

export interface StewardDependencies {
  dataSource: DataSource;
  catalog: Catalog;
  grants: GrantStore;
  /** Keys of the audit subject index. */
  subjectKey: SubjectKeyer;
  /** Brings the subject index up to the last committed record. */
  flushSubjectIndex: () => Promise<void>;
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
/** Subject-index buckets looked up per query (bounded, to keep within every driver's parameter limit). */
const BUCKETS_PER_QUERY = 256;

function instant(value: string | null | undefined, name: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new BadUserInputError(`${name} must be an ISO 8601 instant`);
  return new Date(parsed).toISOString();
}

/** Matches JSON text written by the store: `"coordinate":"X"` (and its decision) inside the decisions column. */
function likeJson(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function resolvers({ dataSource, catalog, grants, subjectKey, flushSubjectIndex }: StewardDependencies) {
  return {
    Query: {
      async auditEvents(_: unknown, args: { filter?: AuditFilter | null; first?: number | null; after?: string | null }) {
        const first = args.first ?? 20;
        if (!Number.isInteger(first) || first < 0 || first > 100) throw new BadUserInputError('first must be between 0 and 100');
        const filter = args.filter ?? {};
        if (filter.decision && !DECISIONS.includes(filter.decision)) throw new BadUserInputError(`decision must be one of ${DECISIONS.join(', ')}`);
        if (filter.outcome && !OUTCOMES.includes(filter.outcome)) throw new BadUserInputError(`outcome must be one of ${OUTCOMES.join(', ')}`);
        const query = dataSource.createQueryBuilder().select('e.*').from('audit_event', 'e');
        const from = instant(filter.from, 'from');
        const to = instant(filter.to, 'to');
        if (from) query.andWhere('e.at >= :from', { from });
        if (to) query.andWhere('e.at < :to', { to });
        for (const column of ['sub', 'department', 'purpose', 'outcome'] as const) {
          if (filter[column]) query.andWhere(`e.${column} = :${column}`, { [column]: filter[column] });
        }
        if (filter.coordinate) {
          const fragment = filter.decision
            ? `"coordinate":${JSON.stringify(filter.coordinate)},"decision":"${filter.decision}"`
            : `"coordinate":${JSON.stringify(filter.coordinate)}`;
          query.andWhere("e.decisions LIKE :decided ESCAPE '\\'", { decided: likeJson(fragment) });
        } else if (filter.decision) {
          query.andWhere("e.decisions LIKE :decided ESCAPE '\\'", { decided: likeJson(`"decision":"${filter.decision}"`) });
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
        // The index trails the records by up to a second; a lookup first brings it up to date.
        await flushSubjectIndex();
        const key = subjectKey({ type: args.subjectType, id: args.subjectId });
        // 64-bit keys: a BigInt for SQLite, decimal text for PostgreSQL's bigint.
        const keyParam = dataSource.options.type === 'postgres' ? String(key) : key;
        const [newest] = await dataSource.query('SELECT MAX(bucket) AS bucket FROM audit_subject_key');
        const rows: Record<string, unknown>[] = [];
        // Newest buckets first, one index seek per bucket, until the page is full.
        for (let high = Number(newest?.bucket ?? -1); high >= 0 && rows.length < HISTORY_LIMIT; high -= BUCKETS_PER_QUERY) {
          const buckets = Array.from({ length: Math.min(BUCKETS_PER_QUERY, high + 1) }, (_, i) => high - i);
          rows.push(
            ...(await dataSource
              .createQueryBuilder()
              .select('e.*')
              .from('audit_subject_key', 's')
              .innerJoin('audit_event', 'e', 'e.seq = s.seq')
              .where('s.bucket IN (:...buckets)', { buckets })
              .andWhere('s.subject_key = :key', { key: keyParam })
              .orderBy('e.seq', 'DESC')
              .limit(HISTORY_LIMIT - rows.length)
              .getRawMany()),
          );
        }
        // The index is a lookup aid; the hashed record must itself name the subject.
        return rows.map(fromRow).filter((record) => record.subjects.some((s) => s.type === args.subjectType && s.id === args.subjectId));
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

