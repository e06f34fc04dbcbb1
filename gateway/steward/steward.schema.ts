import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { BadUserInputError } from '../../common/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/page-size';
import { isGrantActive } from '../access/decide';
import type { Catalog } from '../access/policy';
import type { FieldVerdict, Outcome } from '../audit/audit-record';
import type { AuditReader, EventFilter } from '../audit/audit-reader';
import type { ChainStatus } from '../audit/chain-status';
import type { GrantStore } from '../grants/grant-store';
import type { GrantRecord } from '../grants/grant.entity';
import type { GatewayContext } from '../request/request-context';
import {
  DATA_OFFICE,
  REQUEST_STATUSES,
  type Actor,
  type Conditions,
  type RequestInput,
  type RequestStatus,
} from '../sharing/sharing-rules';
import type { SharingEvent, SharingRequestView, SharingService } from '../sharing/sharing-service';
import type { SharingPartRecord, SharingStepRecord } from '../sharing/sharing.entities';
import { STEWARD_SDL } from './steward.sdl';

/**
 * The steward API's resolvers: they check what a steward asks (bad input is
 * BAD_USER_INPUT) and ask the audit trail, through AuditReader, the grants,
 * and the sharing workflow. A steward of the data authority reads the whole
 * trail; a steward of any other department, its own department's records.
 * Each step of the workflow is noted in the request's facts, so that its
 * audit record names it.
 */

/** The steward subgraph's name in the supergraph. */
export { STEWARD_SUBGRAPH } from '../access/policy';

export interface StewardDependencies {
  catalog: Catalog;
  grants: GrantStore;
  /** The audit trail, read through the audit store. */
  audit: AuditReader;
  sharing: SharingService;
  /** The trail's head, anchor and last verification. */
  chainStatus: () => Promise<ChainStatus>;
}

function actorOf(context: GatewayContext): Actor {
  const { sub, department, roles } = context.identity;
  return { sub, department, roles };
}

/** Notes the workflow's steps in the request's facts: its audit record names each, and waits to be committed. */
function noteSteps(context: GatewayContext, events: readonly SharingEvent[]): void {
  context.facts.events = [...(context.facts.events ?? []), ...events];
}

const dueOf = (dueDate: string | null, dueAt: string | null, estimated: boolean | null) =>
  dueDate && dueAt ? { date: dueDate, endsAt: dueAt, estimated: estimated ?? false } : null;

const OPEN_REQUEST: ReadonlySet<string> = new Set(['SUBMITTED', 'ESCALATED']);

/** An approval or refusal, by a provider or (coordinating) the data authority. */
type Decision = { id: string; approve: boolean; reason?: string | null; conditions?: Conditions | null };

/** A mutation taking one step of the workflow as the caller, its steps noted for the request's audit record. */
function step<TArgs>(take: (actor: Actor, args: TArgs, requestId: string) => Promise<{ view: unknown; events: readonly SharingEvent[] }>) {
  return async (_: unknown, args: TArgs, context: GatewayContext) => {
    const { view, events } = await take(actorOf(context), args, context.requestId);
    noteSteps(context, events);
    return view;
  };
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

function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE)
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`);
  return size;
}

function resolvers({ catalog, grants, audit, sharing, chainStatus }: StewardDependencies) {
  const grantInfo = (grant: GrantRecord) => ({ ...grant, active: isGrantActive(grant, new Date().toISOString()) });
  return {
    Query: {
      async auditEvents(
        _: unknown,
        args: { filter?: AuditFilter | null; first?: number | null; after?: string | null },
        context: GatewayContext,
      ) {
        const first = pageSize(args.first);
        const filter = eventFilter(args.filter ?? {});
        // Outside the data authority, a steward reads its own department's records.
        if (context.identity.department !== DATA_OFFICE) filter.department = context.identity.department;
        const page = await audit.events(filter, { first, ...(args.after ? { before: cursorSeq(args.after) } : {}) });
        const nodes = page.records;
        return {
          nodes,
          edges: nodes.map((node) => ({ cursor: cursorOf(node.seq), node })),
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: nodes.length > 0 ? cursorOf(nodes[nodes.length - 1]!.seq) : null },
          totalCount: () => page.totalCount(),
        };
      },
      async accessHistory(_: unknown, args: { subjectType: string; subjectId: string }, context: GatewayContext) {
        const records = await audit.subjectHistory({ type: args.subjectType, id: args.subjectId }, HISTORY_LIMIT);
        const { department } = context.identity;
        return department === DATA_OFFICE ? records : records.filter((record) => record.department === department);
      },
      sharingCatalog: () =>
        [...catalog.values()]
          .sort((a, b) => a.coordinate.localeCompare(b.coordinate))
          .map((policy) => ({ ...policy, masker: policy.masker ?? null, roles: policy.roles ?? null })),
      async grants(_: unknown, _args: unknown, context: GatewayContext) {
        const { department } = context.identity;
        const all = (await grants.listAll()) as GrantRecord[];
        // Outside the data authority, the grants a department holds or provides.
        const mine =
          department === DATA_OFFICE ? all : all.filter((grant) => grant.consumer === department || grant.provider === department);
        return mine.map(grantInfo);
      },
      async sharingRequests(
        _: unknown,
        args: {
          filter?: { status?: string | null; consumer?: string | null; provider?: string | null; overdue?: boolean | null } | null;
          first?: number | null;
          after?: string | null;
        },
        context: GatewayContext,
      ) {
        const first = pageSize(args.first);
        const { status, consumer, provider, overdue } = args.filter ?? {};
        if (status && !(REQUEST_STATUSES as readonly string[]).includes(status)) {
          throw new BadUserInputError(`status must be one of ${REQUEST_STATUSES.join(', ')}`);
        }
        const page = await sharing.list(
          actorOf(context),
          {
            ...(status ? { status: status as RequestStatus } : {}),
            ...(consumer ? { consumer } : {}),
            ...(provider ? { provider } : {}),
            ...(overdue === null || overdue === undefined ? {} : { overdue }),
          },
          first,
          args.after ? Buffer.from(args.after, 'base64url').toString('utf8') : undefined,
        );
        const last = page.nodes[page.nodes.length - 1];
        return {
          nodes: page.nodes,
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? Buffer.from(last.id).toString('base64url') : null },
          totalCount: () => page.totalCount(),
        };
      },
      sharingRequest: (_: unknown, args: { id: string }, context: GatewayContext) => sharing.visible(actorOf(context), args.id),
      auditChainStatus: () => chainStatus(),
    },
    Mutation: {
      requestSharing: step<{ input: RequestInput }>((actor, args, requestId) => sharing.request(actor, args.input, requestId)),
      reviewSharingRequest: step<{ id: string; forward: boolean; reason?: string | null }>((actor, args, requestId) =>
        sharing.review(actor, args.id, args.forward, args.reason, requestId),
      ),
      answerSharingRequest: step<Decision>((actor, args, requestId) =>
        sharing.answer(actor, args.id, args.approve, args.reason, args.conditions, requestId),
      ),
      escalateSharingRequest: step<{ id: string; reason: string }>((actor, args, requestId) =>
        sharing.escalate(actor, args.id, args.reason, requestId),
      ),
      coordinateSharingRequest: step<Decision>((actor, args, requestId) =>
        sharing.coordinate(actor, args.id, args.approve, args.reason, args.conditions, requestId),
      ),
      revokeGrant: step<{ id: string; reason: string }>(async (actor, args, requestId) => {
        const { grant, events } = await sharing.revoke(actor, args.id, args.reason, requestId);
        return { view: grantInfo(grant), events };
      }),
    },
    SharingRequest: {
      due: (request: SharingRequestView) =>
        OPEN_REQUEST.has(request.status) ? dueOf(request.dueDate, request.dueAt, request.dueEstimated) : null,
      overdue: (request: SharingRequestView) =>
        sharing.overdue(request.dueAt, OPEN_REQUEST.has(request.status)) ||
        (request.status === 'FORWARDED' && request.parts.some((part) => sharing.overdue(part.dueAt, part.status === 'PENDING'))),
    },
    SharingPart: {
      due: (part: SharingPartRecord) => (part.status === 'PENDING' ? dueOf(part.dueDate, part.dueAt, part.dueEstimated) : null),
      overdue: (part: SharingPartRecord) => sharing.overdue(part.dueAt, part.status === 'PENDING'),
      grant: (part: SharingPartRecord) => part.grantId,
    },
    SharingStep: {
      department: (step: SharingStepRecord) => step.actorDepartment,
      grant: (step: SharingStepRecord) => step.grantId,
      requestId: (step: SharingStepRecord) => step.auditRequestId,
    },
    FieldDecision: { grant: (decision: { grant?: string }) => decision.grant ?? null },
    AuditEvent: { steps: (record: { steps?: readonly SharingEvent[] | null }) => record.steps ?? [] },
  };
}

/** The steward subgraph; without dependencies only its shape (for composition). */
export function buildStewardSchema(dependencies?: StewardDependencies): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(STEWARD_SDL), resolvers: (dependencies ? resolvers(dependencies) : {}) as never });
}
