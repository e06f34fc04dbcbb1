import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { isErrorCode, SubgraphUnavailableError } from '../common/errors';
import type { Logger } from '../common/logger';

export interface GatewayContext {
  requestId: string;
}

/**
 * The one place where the gateway builds requests to subgraphs. Client
 * headers are never forwarded: a subgraph receives only the request id (and,
 * with governance, the signed context built here).
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    private readonly logger: Logger,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    try {
      return await super.process(options);
    } catch (error) {
      if (error instanceof GraphQLError && isErrorCode(error.extensions.code)) throw error;
      // Network failures and non-JSON answers carry the subgraph URL: log it, never show it.
      this.logger.warn({ subgraph: this.name, requestId: options.context.requestId, err: error }, 'subgraph request failed');
      throw new SubgraphUnavailableError(this.name);
    }
  }
}
