import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { BadUserInputError } from '../../common/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/page-size';
import { isGrantActive } from '../access/decide';
import type { Catalog } from '../access/policy';
import type { FieldVerdict, Outcome } from '../audit/audit-record';
import type { AuditReader, EventFilter } from '../audit/audit-reader';
import type { GrantStore } from '../grants/grant-store';
import { STEWARD_SDL } from './steward.sdl';

/**
 * The steward API's resolvers: they check what a steward asks (bad input is
 * BAD_USER_INPUT) and ask the audit trail, through AuditReader, and the grants.
 */

/** The steward subgraph's name in the supergraph. */
export const STEWARD_SUBGRAPH = 'steward';

export interface StewardDependencies {
  catalog: Catalog;
  grants: GrantStore;
  /** The audit trail, read through the audit store. */
  audit: AuditReader;
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
  address?: string | null;
  requestId?: string | null;
}

const DECISIONS: readonly string[] = ['allow', 'mask', 'deny'] satisfies FieldVerdict[];
const OUTCOMES: readonly string[] = ['ok', 'partial', 'refused', 'error'] satisfies Outcome[];
/** Records of one subject's access history, newest first. */
const HISTORY_LIMIT = 500;

function instant(value: string | null | undefined, name: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new BadUserInputError(`${name} must be an ISO 8601 instant`);
  return new Date(parsed).toISOString();
}

/** The filter as the trail is asked it, once every value is checked. */
function eventFilter(filter: AuditFilter): EventFilter {
  if (filter.decision && !DECISIONS.includes(filter.decision))
    throw new BadUserInputError(`decision must be one of ${DECISIONS.join(', ')}`);
  if (filter.outcome && !OUTCOMES.includes(filter.outcome)) throw new BadUserInputError(`outcome must be one of ${OUTCOMES.join(', ')}`);
  const checked = {
    from: instant(filter.from, 'from'),
    to: instant(filter.to, 'to'),
    sub: filter.sub,
    department: filter.department,
    purpose: filter.purpose,
    outcome: filter.outcome as Outcome | null | undefined,
    coordinate: filter.coordinate,
    decision: filter.decision as FieldVerdict | null | undefined,
    address: filter.address,
    requestId: filter.requestId,
  };
  return Object.fromEntries(
    Object.entries(checked).filter(([, value]) => value !== null && value !== undefined && value !== ''),
  ) as EventFilter;
}

/** The sequence number a cursor stands for: the page after it holds older records only. */
function cursorSeq(after: string): number {
  const text = Buffer.from(after, 'base64url').toString('utf8');
  const seq = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(seq <= 2_147_483_647)) throw new BadUserInputError('after is not a cursor returned by this list');
  return seq;
}

const cursorOf = (seq: number) => Buffer.from(String(seq)).toString('base64url');

function resolvers({ catalog, grants, audit }: StewardDependencies) {
  return {
    Query: {
      async auditEvents(_: unknown, args: { filter?: AuditFilter | null; first?: number | null; after?: string | null }) {
        const first = args.first ?? DEFAULT_PAGE_SIZE;
        if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE)
          throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`);
        const filter = eventFilter(args.filter ?? {});
        const page = await audit.events(filter, { first, ...(args.after ? { before: cursorSeq(args.after) } : {}) });
        const nodes = page.records;
        return {
          nodes,
          edges: nodes.map((node) => ({ cursor: cursorOf(node.seq), node })),
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: nodes.length > 0 ? cursorOf(nodes[nodes.length - 1]!.seq) : null },
          totalCount: () => page.totalCount(),
        };
      },
      accessHistory: (_: unknown, args: { subjectType: string; subjectId: string }) =>
        audit.subjectHistory({ type: args.subjectType, id: args.subjectId }, HISTORY_LIMIT),
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
