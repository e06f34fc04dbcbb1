import type { Context } from '@opentelemetry/api';
import { signRequest, type SigningKey } from '../common/governance-context';
import type { Logger } from '../common/logger';
import type { GatewayContext } from './request/request-context';
import { PooledDataSource, type SubgraphCallWatchers, type SubgraphClientLimits } from './pooled-datasource';

/**
 * The one place where the gateway says who is asking a subgraph. Client
 * headers (the Authorization header above all) are never forwarded: a
 * subgraph receives the request id and the governance context, signed over
 * the exact body sent (and, with tracing on, the gateway's own `traceparent`,
 * unsigned, which a subgraph uses for its trace and nothing else).
 */
export class SubgraphDataSource extends PooledDataSource<GatewayContext> {
  constructor(
    name: string,
    url: string,
    private readonly signingKey: SigningKey,
    logger: Logger,
    limits: SubgraphClientLimits,
    watchers?: SubgraphCallWatchers,
  ) {
    super(name, url, logger, limits, watchers);
  }

  protected headersFor(context: GatewayContext, body: string): Record<string, string> {
    if (!context.encodedContext) throw new Error('subgraph request without governance context');
    return { 'x-request-id': context.requestId, ...signRequest(this.signingKey, this.name, context.encodedContext, body) };
  }

  protected requestIdOf(context: GatewayContext): string | undefined {
    return context.requestId;
  }

  protected override traceOf(context: GatewayContext): Context | undefined {
    return context.trace;
  }
}
