import type { IncomingMessage } from 'node:http';
import { UnauthenticatedError } from '../../common/errors';
import { randomUUID } from 'node:crypto';
import { decodeContext, ReplayGuard, SignatureError, verifyRequest, type GovernanceContext } from '../../common/governance-context';
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

/**
 * The one place a request's identity enters a subgraph. Only requests that
 * carry the gateway's signature over this very body, made moments ago, get
 * through; anything else, a direct `_entities` or `_service` call included,
 * is refused with 401.
 */
export function createContextFactory<TLoaders, TServices>(
  subgraph: string,
  signingKey: Buffer,
  createServices: (caller: GovernanceContext) => TServices,
  createLoaders: (services: TServices) => TLoaders,
  logger: Logger,
): (req: IncomingMessage, rawBody: string) => Promise<SubgraphContext<TLoaders, TServices>> {
  const replay = new ReplayGuard();
  return async (req, rawBody) => {
    let caller: GovernanceContext;
    try {
      caller = verifyRequest(signingKey, subgraph, req.headers, rawBody, replay);
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      logger.warn({ reason: error.message, from: req.socket.remoteAddress }, 'refused an unsigned or badly signed request');
      throw new UnauthenticatedError('Subgraphs answer only requests signed by the gateway');
    }
    // Services and loaders are per request: no cache is ever shared between callers.
    const services = createServices(caller);
    return { requestId: caller.requestId, caller, loaders: createLoaders(services), services };
  };
}

/** The header that names the caller on the benchmark's unsigned listener. */
export const BENCH_CALLER_HEADER = 'x-bench-caller';

/**
 * Benchmark only: the context for the second, unsigned listener that lets
 * gateways which cannot sign (plain Apollo, Hive) reach the same subgraph, so
 * they can be measured side by side with govgraph. The caller is taken on
 * trust from `x-bench-caller`, in the same encoding the gateway signs, so
 * every target gets the same jurisdiction in SQL. No configuration turns this
 * on: only `bench/subgraph.ts` passes the port, and the listener it opens is
 * separate from the signed one, which stays as strict as ever.
 */
export function createUnsignedBenchContextFactory<TLoaders, TServices>(
  createServices: (caller: GovernanceContext) => TServices,
  createLoaders: (services: TServices) => TLoaders,
): (req: IncomingMessage) => Promise<SubgraphContext<TLoaders, TServices>> {
  return async (req) => {
    const encoded = req.headers[BENCH_CALLER_HEADER];
    let caller: GovernanceContext;
    try {
      if (typeof encoded !== 'string') throw new SignatureError(`missing ${BENCH_CALLER_HEADER}`);
      caller = { ...decodeContext(encoded), requestId: randomUUID() };
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      throw new UnauthenticatedError(`The benchmark listener needs an ${BENCH_CALLER_HEADER} header`);
    }
    const services = createServices(caller);
    return { requestId: caller.requestId, caller, loaders: createLoaders(services), services };
  };
}
