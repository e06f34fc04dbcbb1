/**
 * The gateway's door, in the order a request meets it: the request's facts
 * are opened; the token is verified (who is asking) and the purpose read
 * (why); the body is checked for shape; the access engine decides the
 * operation and hands back the filtered text Apollo runs with the sharing
 * plan for its response. A refusal at any step is audited with the facts
 * known by then.
 */
import type { IncomingMessage } from 'node:http';
import { RequestRefusedError } from '../../common/errors';
import type { Admission, ReadRequest, RequestGate } from '../../common/http-server';
import type { Governor } from '../access/governor';
import { OperationRefusedError } from '../access/request-checks';
import { buildAuditEntry } from '../audit/audit-entry';
import type { AuditEntry } from '../audit/audit-record';
import type { Identity } from '../identity/identity';
import { purposeFrom } from '../identity/purpose';
import { readGraphQLRequest, toExecutedBody } from './graphql-request';
import { buildGatewayContext, noteCaller, noteOperation, notePurpose, RequestFactsTracker, type GatewayContext } from './request-context';

export interface GatewayGateOptions {
  verifyToken: (authorization: string | undefined) => Promise<Identity>;
  governor: Governor;
  /** Where the record of a refused request goes; nobody waits for it. */
  recordRefusal: (entry: AuditEntry) => void;
}

export function createGatewayGate({ verifyToken, governor, recordRefusal }: GatewayGateOptions): RequestGate<GatewayContext> {
  const tracker = new RequestFactsTracker();

  async function admit({ req, body }: ReadRequest): Promise<Admission<GatewayContext>> {
    const facts = tracker.of(req);
    if (req.method === 'GET') throw new RequestRefusedError(405, 'BAD_USER_INPUT', 'Send operations with POST');
    const identity = await verifyToken(req.headers.authorization);
    noteCaller(facts, identity);
    const purpose = purposeFrom(req.headers['x-purpose']);
    notePurpose(facts, purpose);
    const request = readGraphQLRequest(body);
    let governed;
    try {
      governed = governor.govern(request, identity, purpose);
    } catch (error) {
      if (error instanceof OperationRefusedError) noteOperation(facts, error.facts);
      throw error;
    }
    // An invalid operation runs unchanged: Apollo refuses it before anything executes.
    if (!governed) return { context: buildGatewayContext(facts, identity, purpose, undefined), body };
    noteOperation(facts, governed.sharing);
    return {
      context: buildGatewayContext(facts, identity, purpose, governed.sharing),
      body: toExecutedBody(body, request, governed.query),
    };
  }

  return {
    admit,
    refused: (req: IncomingMessage, status: number) =>
      recordRefusal(buildAuditEntry(tracker.of(req), status >= 500 ? 'error' : 'refused', status)),
  };
}
