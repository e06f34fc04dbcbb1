import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { isErrorCode, SubgraphUnavailableError } from '../common/errors';
import type { Logger } from '../common/logger';

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

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
      // Rebuilt with the code alone: Apollo's own extensions carry the subgraph's URL and raw body.
      if (error instanceof GraphQLError && isErrorCode(error.extensions.code)) {
        throw new GraphQLError(error.message, { extensions: { code: error.extensions.code } });
      }
      // Network failures and non-JSON answers carry the subgraph URL: log it, never show it.
      this.logger.warn({ subgraph: this.name, requestId: options.context.requestId, err: error }, 'subgraph request failed');
      throw new SubgraphUnavailableError(this.name);
    }
  }

  /**
   * A subgraph answers 400 when it rejects the request itself (a variable its
   * scalar refuses, say): that is the client's error, passed on with its code.
   * Anything else is the subgraph's failure and says only that.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body: unknown = await this.parseBody(response).catch(() => undefined);
    const errors = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined)?.errors;
    const clientError = response.status === 400 && Array.isArray(errors) ? errors.find((e) => e.extensions?.code === 'BAD_USER_INPUT') : undefined;
    if (clientError && typeof clientError.message === 'string') {
      return new GraphQLError(clientError.message, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    this.logger.warn({ subgraph: this.name, status: response.status }, 'subgraph refused a request');
    return new SubgraphUnavailableError(this.name);
  }
}
