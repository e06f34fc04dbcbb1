import type { IncomingMessage } from 'node:http';
import { UnauthenticatedError } from '../../common/errors';
import {
  SignatureError,
  verifyRequest,
  type GovernanceContext,
  type NonceLedger,
  type VerifyingKeys,
} from '../../common/governance-context';
import type { Logger } from '../../common/logger';

/**
 * Per-request context of every subgraph: the caller the gateway vouches for,
 * and services and loaders bound to that caller's jurisdiction.
 */
export interface SubgraphContext<TLoaders, TServices> {
  requestId: string;
  caller: GovernanceContext;
  loaders: TLoaders;
  services: TServices;
}

/** The context for a caller already established; services and loaders are made anew for it. */
export type ContextForCaller<TLoaders, TServices> = (caller: GovernanceContext) => SubgraphContext<TLoaders, TServices>;

export function bindCallerContext<TLoaders, TServices>(
  createServices: (caller: GovernanceContext) => TServices,
  createLoaders: (services: TServices) => TLoaders,
): ContextForCaller<TLoaders, TServices> {
  return (caller) => {
    // Services and loaders are per request: no cache is ever shared between callers.
    const services = createServices(caller);
    return { requestId: caller.requestId, caller, loaders: createLoaders(services), services };
  };
}

/**
 * The one place a request's identity enters a subgraph. Only requests that
 * carry the gateway's signature over this very body, made moments ago and
 * never seen by any replica of this subgraph (`nonces`), get through;
 * anything else, a direct `_entities` or `_service` call included, is
 * refused with 401.
 */
export function createContextFactory<TLoaders, TServices>(
  subgraph: string,
  verifyingKeys: VerifyingKeys,
  nonces: NonceLedger,
  contextFor: ContextForCaller<TLoaders, TServices>,
  logger: Logger,
): (req: IncomingMessage, rawBody: string) => Promise<SubgraphContext<TLoaders, TServices>> {
  return async (req, rawBody) => {
    let caller: GovernanceContext;
    try {
      caller = await verifyRequest(verifyingKeys, subgraph, req.headers, rawBody, nonces);
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      logger.warn({ reason: error.message, from: req.socket.remoteAddress }, 'refused an unsigned or badly signed request');
      throw new UnauthenticatedError('Subgraphs answer only requests signed by the gateway');
    }
    return contextFor(caller);
  };
}
