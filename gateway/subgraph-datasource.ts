import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import { SubgraphUnavailableError } from '../common/errors';
import { signRequest } from '../common/governance-context';
import type { Logger } from '../common/logger';
import type { Identity } from './identity/identity';
import type { RequestPlan } from './access/governor';
import type { RequestFacts } from './audit/audit-entry';
import type { Purpose } from './identity/purpose';

type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

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
 * The one place where the gateway calls a subgraph. Client headers (the
 * Authorization header above all) are never forwarded: a subgraph receives
 * the request id and the governance context, signed over the exact body sent.
 *
 * Requests go through undici's connection pool, one per subgraph, not through
 * fetch: a WHATWG Request, Headers and Response per call cost some 200 µs of
 * CPU more than the pool's request (measured in the benchmark's gateway; see
 * the README's Performance section). The pool keeps idle sockets only as long
 * as the subgraph's Keep-Alive hint allows, less a margin, so a socket the
 * subgraph is about to close is not reused.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    readonly name: string,
    url: string,
    private readonly signingKey: Buffer,
    private readonly logger: Logger,
  ) {
    const target = new URL(url);
    this.pool = new Pool(target.origin);
    this.path = `${target.pathname}${target.search}`;
  }

  async process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayResponse> {
    const encoded = (context as Partial<GatewayContext>).encodedContext;
    if (!encoded) throw new Error('subgraph request without governance context');
    // The same body Apollo's own data source sends; signed here, as the exact string on the wire.
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    let status: number;
    let text: string;
    try {
      const response = await this.pool.request({
        method: 'POST',
        path: this.path,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-request-id': context.requestId,
          ...signRequest(this.signingKey, this.name, encoded, body),
        },
        body,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      // Network failures name the subgraph's address: logged, never shown.
      this.logger.warn({ subgraph: this.name, requestId: context.requestId, err: error }, 'subgraph request failed');
      throw new SubgraphUnavailableError(this.name);
    }
    const parsed = parseObject(text);
    if (status < 200 || status >= 300) throw this.errorFromResponse(status, parsed);
    if (!parsed) {
      this.logger.warn({ subgraph: this.name, requestId: context.requestId, status }, 'subgraph answered without a JSON object');
      throw new SubgraphUnavailableError(this.name);
    }
    return parsed as GatewayResponse;
  }

  /** Closes the pool's sockets; requests in flight finish first. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * A subgraph answers 400 when it rejects the request itself (a variable its
   * scalar refuses, say): that is the client's error, passed on with its code.
   * Anything else, a refused signature included, is the subgraph's failure
   * and says only that.
   */
  private errorFromResponse(status: number, body: Record<string, unknown> | undefined): GraphQLError {
    const errors = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined)?.errors;
    const clientError = status === 400 && Array.isArray(errors) ? errors.find((e) => e?.extensions?.code === 'BAD_USER_INPUT') : undefined;
    if (clientError && typeof clientError.message === 'string') {
      return new GraphQLError(clientError.message, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    this.logger.warn({ subgraph: this.name, status }, 'subgraph refused a request');
    return new SubgraphUnavailableError(this.name);
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
