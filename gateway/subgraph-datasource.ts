import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { isErrorCode, SubgraphUnavailableError } from '../common/errors';
import { CONTEXT_HEADER, signRequest } from '../common/governance-context';
import type { Logger } from '../common/logger';
import type { Identity } from './identity/identity';
import type { RequestPlan } from './access/governor';
import type { RequestFacts } from './audit/audit-entry';
import type { Purpose } from './identity/purpose';

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];
type Fetcher = RemoteGraphQLDataSource['fetcher'];

export interface GatewayContext {
  requestId: string;
  identity: Identity;
  purpose: Purpose;
  /** The governance context for subgraphs, encoded once per request. */
  encodedContext: string;
  /** The sharing decisions for this request's operation, set before execution. */
  plan?: RequestPlan;
  /** What the audit record of this request is built from. */
  facts: RequestFacts;
}

/**
 * The one place where the gateway builds requests to subgraphs. Client
 * headers (the Authorization header above all) are never forwarded: a
 * subgraph receives the request id and the governance context, signed over
 * the exact body sent.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    signingKey: Buffer,
    private readonly logger: Logger,
  ) {
    super({ url });
    // Node's fetch (undici) retires idle sockets before the subgraph's keep-alive ends; Apollo's default
    // client keeps them forever and, after a quiet spell, can reuse one the subgraph has just closed.
    const send = globalThis.fetch as unknown as Fetcher;
    // Signed here, where the body is the exact string that goes on the wire.
    this.fetcher = ((target: string, init: { body?: string; headers?: Record<string, string> }) => {
      const headers = init.headers ?? {};
      const encoded = headers[CONTEXT_HEADER];
      if (!encoded) throw new Error('subgraph request without governance context');
      return send(target, { ...init, headers: { ...headers, ...signRequest(signingKey, name, encoded, init.body ?? '') } });
    }) as Fetcher;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    request.http?.headers.set('x-request-id', context.requestId);
    request.http?.headers.set(CONTEXT_HEADER, context.encodedContext);
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
   * Anything else, a refused signature included, is the subgraph's failure
   * and says only that.
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
