import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerOptionsWithGateway } from '@apollo/server';
import { contextGate, listenHttp } from '../common/http-server';
import { createLogger } from '../common/logger';
import { stopOnSignals } from '../common/process';
import { loadGatewayConfig } from '../gateway/config';
import { disableApolloTelemetry } from '../gateway/federation';
import { PooledDataSource } from '../gateway/pooled-datasource';
import { BENCH_CALLER_HEADER } from './bench-caller';
import { requireEnv, subgraphUrls } from './service-env';

/**
 * The benchmark's "plain" target: the same @apollo/gateway and Apollo Server
 * on the same HTTP adapter as govgraph, with nothing of governance: no token,
 * no decisions, no masking, no audit. It passes the benchmark's caller header
 * on to the subgraphs' unsigned listeners so that every row is scoped as it is
 * for govgraph. PLAIN_CLIENT picks the subgraph client:
 * - `pool` (the default): govgraph's own client, undici's connection pool, so
 *   that the difference from govgraph is governance alone;
 * - `fetch`: Apollo's own data source with Node's fetch, as a team might run
 *   it without govgraph's client (docs/performance.md compares the two).
 */
interface PlainContext {
  caller: string | undefined;
}

class FetchForwardingDataSource extends RemoteGraphQLDataSource<PlainContext> {
  constructor(url: string) {
    super({ url });
    this.fetcher = globalThis.fetch as unknown as RemoteGraphQLDataSource['fetcher'];
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<PlainContext>): void {
    if (context.caller) request.http?.headers.set(BENCH_CALLER_HEADER, context.caller);
  }
}

class PooledForwardingDataSource extends PooledDataSource<PlainContext> {
  protected headersFor(context: PlainContext): Record<string, string> {
    return context.caller ? { [BENCH_CALLER_HEADER]: context.caller } : {};
  }

  protected requestIdOf(): undefined {
    return undefined;
  }
}

async function main(): Promise<void> {
  const logger = createLogger('plain-gateway', 'warn');
  const urls = subgraphUrls();
  const client = process.env.PLAIN_CLIENT ?? 'pool';
  if (client !== 'fetch' && client !== 'pool') throw new Error(`PLAIN_CLIENT must be fetch or pool, not ${client}`);
  const pooled: PooledForwardingDataSource[] = [];
  // The governed gateway's limits on its subgraph clients, from the same variables.
  const { subgraphTimeoutMs, subgraphConnections } = loadGatewayConfig();
  const limits = { timeoutMs: subgraphTimeoutMs, connections: subgraphConnections };
  // As the governed gateway does: no usage reports to Apollo, which would also cost the comparison.
  disableApolloTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(requireEnv('SUPERGRAPH_PATH'), 'utf8'),
    buildService: ({ name, url }): GraphQLDataSource => {
      const target = urls.get(name) ?? url ?? '';
      if (client === 'fetch') return new FetchForwardingDataSource(target);
      const source = new PooledForwardingDataSource(name, target, logger, limits);
      pooled.push(source);
      return source;
    },
  });
  const apollo = new ApolloServer<PlainContext>({
    gateway: gateway as unknown as ApolloServerOptionsWithGateway<PlainContext>['gateway'],
    // Signals are ours (stopOnSignals): Apollo's own handler would race our stop(), and a stop()
    // that arrives while Apollo 5 is stopping waits on a barrier it never resolves.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  const http = await listenHttp({
    apollo,
    gate: contextGate(async (req: IncomingMessage) => {
      const caller = req.headers[BENCH_CALLER_HEADER];
      return { caller: typeof caller === 'string' ? caller : undefined };
    }),
    isReady: async () => true,
    port: Number(requireEnv('PORT')),
    logger,
  });
  stopOnSignals(logger, async () => {
    await http.close();
    await apollo.stop();
    await Promise.all(pooled.map((source) => source.close()));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`plain gateway could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
