import { signRequest, type SigningKey } from '../common/governance-context';
import type { Logger } from '../common/logger';
import type { GatewayContext } from './request/request-context';
import { PooledDataSource, type SubgraphClientLimits } from './pooled-datasource';

/**
 * The one place where the gateway says who is asking a subgraph. Client
 * headers (the Authorization header above all) are never forwarded: a
 * subgraph receives the request id and the governance context, signed over
 * the exact body sent.
 */
export class SubgraphDataSource extends PooledDataSource<GatewayContext> {
  constructor(
    name: string,
    url: string,
    private readonly signingKey: SigningKey,
    logger: Logger,
    limits: SubgraphClientLimits,
    observe?: (outcome: 'ok' | 'error' | 'timeout', seconds: number) => void,
  ) {
    super(name, url, logger, limits, observe);
  }

  protected headersFor(context: GatewayContext, body: string): Record<string, string> {
    if (!context.encodedContext) throw new Error('subgraph request without governance context');
    return { 'x-request-id': context.requestId, ...signRequest(this.signingKey, this.name, context.encodedContext, body) };
  }

  protected requestIdOf(context: GatewayContext): string | undefined {
    return context.requestId;
  }
}
