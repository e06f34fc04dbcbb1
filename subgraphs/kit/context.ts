import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

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

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function createContextFactory<TLoaders, TServices>(
  services: TServices,
  createLoaders: (services: TServices) => TLoaders,
): (req: IncomingMessage) => Promise<SubgraphContext<TLoaders, TServices>> {
  return async (req) => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    // Loaders are created per request: a cache is never shared between callers.
    return { requestId, loaders: createLoaders(services), services };
  };
}
