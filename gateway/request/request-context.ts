/**
 * The request context: what the gateway knows of one request, and the facts
 * its audit record is built from. Both are built here, explicitly, one step
 * at a time as the request gets further; nothing else adds to them. A fact is
 * an id, a code or a decision, never a value the caller sent: the operation's
 * variables stay with the sharing plan and never reach the facts.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from '@opentelemetry/api';
import { encodeContext } from '../../common/governance-context';
import type { OperationFacts, SharingPlan } from '../access/sharing-plan';
import type { Decision } from '../access/policy';
import { escapeLabel, type Outcome, type SharingStepEntry } from '../audit/audit-record';
import type { Identity } from '../identity/identity';
import type { Purpose } from '../identity/purpose';

/** What the gateway learned of a request, however far it got: its audit record is made from this alone. */
export interface RequestFacts {
  startedAt: number;
  /** The gateway's own id for the request, passed to subgraphs and sent back as X-Request-Id. */
  requestId: string;
  /** The X-Request-Id the client sent, as a label (bounded, escaped), or null. */
  clientRequestId: string | null;
  /** Where the request came from (see clientAddress). */
  address: string;
  caller?: { sub: string; department: string; roles: string[] };
  purpose?: string;
  clientName: string | null;
  clientVersion: string | null;
  operationType?: string | null;
  operationName?: string | null;
  documentHash?: string | null;
  decisions?: ReadonlyMap<string, Decision>;
  /** Steps of the sharing workflow the request took (ids and a reason's hash): its record names them. */
  events?: SharingStepEntry[];
  /** How its record says it ended, once recorded. */
  outcome?: Outcome;
  /** Set once the request's record has been handed to the trail: the door records any request that ends without one. */
  recorded?: boolean;
}

/** The context of an admitted request, as Apollo and the subgraph client see it. */
export interface GatewayContext {
  requestId: string;
  identity: Identity;
  purpose: Purpose;
  /** The signed governance context for subgraphs, encoded once per request. */
  encodedContext: string;
  /** What the caller may see of this operation, and how; none for an invalid operation, which Apollo refuses unrun. */
  sharing: SharingPlan | undefined;
  facts: RequestFacts;
  /** The request's span, parent of its subgraph calls' spans; undefined when tracing is off. */
  trace: Context | undefined;
}

/** The facts a request carries from its first byte: when and from where it came, and what the client calls itself. */
export function openRequestFacts(req: IncomingMessage | undefined, address: string, now: number = Date.now()): RequestFacts {
  const headers = req?.headers ?? {};
  return {
    startedAt: now,
    requestId: randomUUID(),
    clientRequestId: escapeLabel(headers['x-request-id'], 64),
    address,
    clientName: escapeLabel(headers['apollographql-client-name']),
    clientVersion: escapeLabel(headers['apollographql-client-version']),
  };
}

/** Records who is asking, once the token is verified. */
export function noteCaller(facts: RequestFacts, identity: Identity): void {
  facts.caller = { sub: identity.sub, department: identity.department, roles: identity.roles };
}

export function notePurpose(facts: RequestFacts, purpose: Purpose): void {
  facts.purpose = purpose;
}

/** Records what was decided about the operation: copied field by field, so nothing else rides along. */
export function noteOperation(facts: RequestFacts, operation: OperationFacts): void {
  facts.operationType = operation.operationType;
  facts.operationName = escapeLabel(operation.operationName);
  facts.documentHash = operation.documentHash;
  facts.decisions = operation.decisions;
}

/** The context of a request admitted with `sharing` as its plan. */
export function buildGatewayContext(
  facts: RequestFacts,
  identity: Identity,
  purpose: Purpose,
  sharing: SharingPlan | undefined,
  trace?: Context,
): GatewayContext {
  const { sub, department, roles, areas } = identity;
  const { requestId } = facts;
  return {
    requestId,
    identity,
    purpose,
    sharing,
    facts,
    trace,
    encodedContext: encodeContext({ sub, department, roles, areas, purpose, requestId }),
  };
}

/**
 * The facts of each request in flight, found again by its HTTP request, so
 * that a refusal anywhere (even by the HTTP layer, before any context
 * exists) is audited with what was known by then.
 */
export class RequestFactsTracker {
  private readonly known = new WeakMap<IncomingMessage, RequestFacts>();

  constructor(private readonly addressOf: (req: IncomingMessage) => string) {}

  of(req: IncomingMessage): RequestFacts {
    let facts = this.known.get(req);
    if (!facts) {
      facts = openRequestFacts(req, this.addressOf(req));
      this.known.set(req, facts);
    }
    return facts;
  }
}
