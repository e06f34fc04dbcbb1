/**
 * The gateway's door, in the order a request meets it: the request's facts
 * are opened; its address is held to its rate; the token is verified (who is
 * asking) and the caller held to theirs; only then is the body read. The
 * purpose is read (why), the body checked for shape, and the access engine
 * decides the operation and hands back the filtered text Apollo runs with
 * the sharing plan for its response. A request that ends without a record
 * (refused at any step, or by Apollo's own checks) is recorded when it ends,
 * with the facts known by then.
 */
import type { IncomingMessage } from 'node:http';
import { RequestRefusedError } from '../../common/errors';
import type { Admission, ReadRequest, RequestGate } from '../../common/http-server';
import { SPAN_ATTRIBUTES, type RequestTrace, type Tracing } from '../../common/tracing';
import type { Governor } from '../access/governor';
import { OperationRefusedError } from '../access/request-checks';
import { buildAuditEntry } from '../audit/audit-entry';
import type { AuditEntry, Outcome } from '../audit/audit-record';
import type { Logger } from '../../common/logger';
import type { Identity } from '../identity/identity';
import { purposeFrom } from '../identity/purpose';
import { addressKey, clientAddressResolver, plainAddress } from './client-address';
import { readGraphQLRequest, toExecutedBody } from './graphql-request';
import { RateLimits, type RateLimitSettings } from './rate-limits';
import { RefusalSummaries } from './refusal-summaries';
import {
  buildGatewayContext,
  noteCaller,
  noteOperation,
  notePurpose,
  openRequestFacts,
  RequestFactsTracker,
  type GatewayContext,
  type RequestFacts,
} from './request-context';

export interface GatewayGateOptions {
  verifyToken: (authorization: string | undefined) => Promise<Identity>;
  governor: Governor;
  /** Where the record of a request that ended at the door goes; nobody waits for it. */
  recordRefusal: (entry: AuditEntry) => void;
  rateLimits: RateLimitSettings;
  /** Load balancers whose X-Forwarded-For names the client. */
  trustedProxies: readonly string[];
  /** Where the one line each request leaves goes (at level info). */
  logger: Logger;
  /** Told of every request when it is over: its facts, status and outcome (the gateway's metrics). */
  onFinished?: (facts: RequestFacts, status: number, outcome: string) => void;
  /** The gateway's tracing, whose door spans the gate adds its facts to; undefined when tracing is off. */
  tracing?: Tracing;
}

export interface GatewayGate extends RequestGate<GatewayContext> {
  /** Writes the summaries of refusals still being counted (at shutdown). */
  stop(): void;
}

/**
 * The one log line of a request, when it is over: its id, who asked, which
 * operation, how it ended, how long it took. Ids, codes and labels only, as
 * in the audit record: never a variable, a value or a token.
 */
function logRequest(logger: Logger, facts: RequestFacts, status: number, outcome: string, code: string | undefined): void {
  // Below info (LOG_LEVEL=warn, as the benchmark runs) the line is not even built.
  if (!logger.isLevelEnabled('info')) return;
  logger.info(
    {
      requestId: facts.requestId,
      caller: facts.caller ? `${facts.caller.department}/${facts.caller.sub}` : null,
      operation: facts.operationName ?? facts.operationType ?? null,
      outcome,
      status,
      ...(code ? { code } : {}),
      durationMs: Math.round(Date.now() - facts.startedAt),
    },
    'request',
  );
}

/**
 * What the request's span says once it is over: the same ids, codes and
 * labels as its log line, but the caller by department only (a span goes to
 * a collector outside the gateway; its `sub` stays in the log and the trail).
 */
function traceRequest(trace: RequestTrace, facts: RequestFacts, outcome: string): void {
  if (!trace.recording) return;
  trace.setOutcome(outcome);
  trace.annotate({
    [SPAN_ATTRIBUTES.requestId]: facts.requestId,
    ...(facts.caller ? { [SPAN_ATTRIBUTES.callerDepartment]: facts.caller.department } : {}),
    ...(facts.operationType ? { [SPAN_ATTRIBUTES.operationType]: facts.operationType } : {}),
    ...(facts.operationName ? { [SPAN_ATTRIBUTES.operationName]: facts.operationName } : {}),
    ...(facts.documentHash ? { [SPAN_ATTRIBUTES.documentHash]: facts.documentHash } : {}),
  });
}

/** The caller's key for rate limits: one per subject of one department. */
function callerKey(identity: { department: string; sub: string }): string {
  return `${identity.department}\n${identity.sub}`;
}

export function createGatewayGate({
  verifyToken,
  governor,
  recordRefusal,
  rateLimits,
  trustedProxies,
  logger,
  onFinished,
  tracing,
}: GatewayGateOptions): GatewayGate {
  const tracker = new RequestFactsTracker(clientAddressResolver(trustedProxies));
  const limits = new RateLimits(rateLimits);
  const summaries = new RefusalSummaries(recordRefusal);
  const identities = new WeakMap<IncomingMessage, Identity>();
  /** Requests whose caller holds a slot of its concurrency, to give back when they end. */
  const holding = new WeakMap<IncomingMessage, string>();
  /** Requests already over, whose end was accounted for. */
  const ended = new WeakSet<IncomingMessage>();
  /** Requests holding some of their caller's cost in flight, and how much. */
  const costs = new WeakMap<IncomingMessage, number>();

  async function screen(req: IncomingMessage, identified: boolean): Promise<void> {
    const facts = tracker.of(req);
    limits.admitAddress(addressKey(facts.address));
    if (!identified) return;
    if (req.method === 'GET') throw new RequestRefusedError(405, 'BAD_USER_INPUT', 'Send operations with POST');
    const identity = await verifyToken(req.headers.authorization);
    noteCaller(facts, identity);
    const caller = callerKey(identity);
    limits.admitCaller(caller);
    holding.set(req, caller);
    identities.set(req, identity);
  }

  async function admit({ req, body }: ReadRequest): Promise<Admission<GatewayContext>> {
    const facts = tracker.of(req);
    const identity = identities.get(req);
    if (!identity) throw new Error('a request reached admit() without passing screen()');
    const purpose = purposeFrom(req.headers['x-purpose']);
    notePurpose(facts, purpose);
    const request = readGraphQLRequest(body);
    const trace = tracing?.requestOf(req);
    // Governance as a step of the request's trace: the time the access engine took, nothing of what it decided.
    const step = trace?.recording ? trace.startStep('govern') : undefined;
    let governed;
    try {
      governed = governor.govern(request, identity, purpose);
    } catch (error) {
      if (error instanceof OperationRefusedError) noteOperation(facts, error.facts);
      step?.end(error instanceof RequestRefusedError ? 'refused' : 'error');
      throw error;
    }
    step?.end('ok', governed ? { [SPAN_ATTRIBUTES.cost]: governed.cost } : {});
    // An invalid operation runs unchanged: Apollo refuses it before anything executes.
    if (!governed) return { context: buildGatewayContext(facts, identity, purpose, undefined, trace?.context), body };
    noteOperation(facts, governed.sharing);
    limits.admitCost(callerKey(identity), governed.cost);
    costs.set(req, governed.cost);
    return {
      context: buildGatewayContext(facts, identity, purpose, governed.sharing, trace?.context),
      body: toExecutedBody(body, request, governed.query),
    };
  }

  /**
   * Every request ends here. One the response plugin has not recorded is
   * recorded now: by itself when it has a caller, through the summaries when
   * it has none (a flood of unauthenticated requests, or the IDE's page) or
   * was refused for its rate.
   */
  function finished(req: IncomingMessage, status: number, code: string | undefined): void {
    // Told twice of a request cut off at shutdown: by the stop, then by its handler when it unwinds.
    if (ended.has(req)) return;
    ended.add(req);
    const caller = holding.get(req);
    if (caller !== undefined) {
      limits.release(caller);
      const cost = costs.get(req);
      if (cost !== undefined) limits.releaseCost(caller, cost);
    }
    const facts = tracker.of(req);
    const outcome: Outcome = facts.outcome ?? (status >= 500 ? 'error' : status >= 400 ? 'refused' : 'ok');
    onFinished?.(facts, status, outcome);
    const trace = tracing?.requestOf(req);
    if (trace) traceRequest(trace, facts, outcome);
    if (facts.recorded) return logRequest(logger, facts, status, outcome, code);
    facts.recorded = true;
    const entry = buildAuditEntry(facts, outcome, status);
    let alone = true;
    if (!facts.caller) alone = summaries.offer(`address ${addressKey(facts.address)}`, entry);
    else if (code === 'RATE_LIMITED') alone = summaries.offer(`caller ${callerKey(facts.caller)}`, entry);
    else recordRefusal(entry);
    // A flood's requests are counted, not logged one by one, as in the trail: its summary says how many.
    if (alone) logRequest(logger, facts, status, outcome, code);
  }

  /** A connection the HTTP parser refused: no request, no headers, only the peer's address. */
  function unread(peerAddress: string | undefined, status: number): void {
    const address = plainAddress(peerAddress ?? 'unknown');
    const facts = openRequestFacts(undefined, address);
    summaries.offer(`address ${addressKey(address)}`, buildAuditEntry(facts, 'refused', status));
  }

  return { screen, admit, finished, unread, requestId: (req) => tracker.of(req).requestId, stop: () => summaries.stop() };
}
