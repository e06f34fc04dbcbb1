import type { IncomingMessage } from 'node:http';
import { requestIdFrom } from '../../common/request-id';

/**
 * Per-request context of every subgraph. Built in exactly one place
 * (`createContextFactory`), which is where the gateway's signed governance
 * context will be verified and turned into the caller's identity and areas.
 */
export interface SubgraphContext<TLoaders, TServices> {
  requestId: string;
  loaders: TLoaders;
  services: TServices;
}

export function createContextFactory<TLoaders, TServices>(
  services: TServices,
  createLoaders: (services: TServices) => TLoaders,
): (req: IncomingMessage) => Promise<SubgraphContext<TLoaders, TServices>> {
  return async (req) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    // Loaders are created per request: a cache is never shared between callers.
    return { requestId, loaders: createLoaders(services), services };
  };
}
