import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Context } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import { SubgraphUnavailableError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { Tracing } from '../common/tracing';

/** Connections open to a subgraph, those free for the next call, and calls running and waiting. */
export interface SubgraphConnections {
  connected: number;
  free: number;
  running: number;
  pending: number;
}

export type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export interface SubgraphClientLimits {
  /** One call's limit, ms, from the moment it asks for a connection to its last byte. */
  timeoutMs: number;
  /** Connections open to the subgraph at most. */
  connections: number;
}

/** Who is told of each call besides the caller. */
export interface SubgraphCallWatchers {
  /** Told of every call's outcome and duration (the gateway's metrics). */
  observe?: (outcome: 'ok' | 'error' | 'timeout', seconds: number) => void;
  /** Traces every call as a CLIENT span of its request's span; undefined when tracing is off. */
  tracing?: Tracing;
}

/**
 * Calls one subgraph over undici's connection pool, not fetch: fetch builds a
 * WHATWG Request, Headers, streams and a Response for every call, several
 * times the client CPU of the pool's request (docs/performance.md). The pool
 * keeps an idle socket until 2 s before the subgraph's Keep-Alive hint runs
 * out (4 s without a hint), so it never reuses one the subgraph is about to
 * close. It opens at most `limits.connections` sockets, and gives a call up
 * after `limits.timeoutMs` however far it got: a subgraph that hangs costs
 * its part of the answers, not the gateway's sockets or its clients' time.
 *
 * Subclasses say which headers go with each call; this class sends the body
 * Apollo's own data source would, and turns whatever comes back into either
 * the subgraph's GraphQL response or an error a client may see. (The context
 * is bounded as Apollo bounds it, by `Record<string, any>`: an interface such
 * as the gateway's context meets no narrower index signature.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export abstract class PooledDataSource<TContext extends Record<string, any>> implements GraphQLDataSource<TContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    readonly name: string,
    url: string,
    protected readonly logger: Logger,
    private readonly limits: SubgraphClientLimits,
    private readonly watchers: SubgraphCallWatchers = {},
  ) {
    const target = new URL(url);
    // undici's keep-alive defaults, stated because the claim above rests on them.
    this.pool = new Pool(target.origin, { keepAliveTimeout: 4_000, keepAliveTimeoutThreshold: 2_000, connections: limits.connections });
    this.path = `${target.pathname}${target.search}`;
  }

  /** The headers for one call carrying exactly `body`. */
  protected abstract headersFor(context: TContext, body: string): Record<string, string>;

  /** The id of the client request a call belongs to, for the log. */
  protected abstract requestIdOf(context: TContext): string | undefined;

  /** The span of the client request a call belongs to, the parent of the call's span (none by default). */
  protected traceOf(_context: TContext): Context | undefined {
    return undefined;
  }

  async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<SubgraphResponse> {
    const { request } = options;
    // Apollo types the context of health checks and schema loads loosely; the gateway makes neither call.
    const context = options.context as TContext;
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    const { observe, tracing } = this.watchers;
    const call = tracing?.startCall(this.traceOf(context), this.name);
    // The trace's headers are not signed: they carry nothing a subgraph may act on.
    const headers = { 'content-type': 'application/json', accept: 'application/json', ...this.headersFor(context, body), ...call?.headers };
    let status: number;
    let text: string;
    const started = performance.now();
    const took = () => (performance.now() - started) / 1000;
    try {
      const signal = AbortSignal.timeout(this.limits.timeoutMs);
      const response = await this.pool.request({ method: 'POST', path: this.path, headers, body, signal });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const requestId = this.requestIdOf(context);
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      observe?.(timedOut ? 'timeout' : 'error', took());
      call?.end(timedOut ? 'timeout' : 'error');
      if (timedOut) {
        this.logger.warn({ subgraph: this.name, requestId, timeoutMs: this.limits.timeoutMs }, 'subgraph request timed out');
      } else {
        // Network failures name the subgraph's address: logged, never shown.
        this.logger.warn({ subgraph: this.name, requestId, err: error }, 'subgraph request failed');
      }
      throw new SubgraphUnavailableError(this.name);
    }
    const parsed = parseObject(text);
    const outcome = status >= 200 && status < 300 && parsed ? 'ok' : 'error';
    observe?.(outcome, took());
    call?.end(outcome, status);
    if (status < 200 || status >= 300) throw this.errorFromResponse(status, parsed);
    if (!parsed) {
      this.logger.warn({ subgraph: this.name, requestId: this.requestIdOf(context), status }, 'subgraph answered without a JSON object');
      throw new SubgraphUnavailableError(this.name);
    }
    return parsed as SubgraphResponse;
  }

  /** The pool's connections and calls now, as an operator's metrics would report them. */
  connections(): SubgraphConnections {
    const { connected, free, running, pending } = this.pool.stats;
    return { connected, free, running, pending };
  }

  /** Closes the pool's sockets; calls in flight finish first. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** Closes the pool's sockets now: calls in flight fail at once (SUBGRAPH_UNAVAILABLE), as do any made later. */
  abort(): Promise<void> {
    return this.pool.destroy();
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
