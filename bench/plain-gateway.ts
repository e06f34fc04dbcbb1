import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerOptionsWithGateway } from '@apollo/server';
import { listenHttp } from '../common/http-server';
import { createLogger } from '../common/logger';
import { stopOnSignals } from '../common/process';
import { BENCH_CALLER_HEADER } from '../subgraphs/kit/context';
import { requireEnv, subgraphUrls } from './service-env';

/**
 * The benchmark's "plain" target: the same @apollo/gateway and Apollo Server
 * on the same HTTP adapter and the same subgraph client (Node's fetch) as
 * govgraph, with nothing of governance: no token, no decisions, no masking,
 * no audit. It passes the benchmark's caller header on to the subgraphs'
 * unsigned listeners so that every row is scoped as it is for govgraph.
 */
interface PlainContext {
  caller: string | undefined;
}

class ForwardingDataSource extends RemoteGraphQLDataSource<PlainContext> {
  constructor(url: string) {
    super({ url });
    this.fetcher = globalThis.fetch as unknown as RemoteGraphQLDataSource['fetcher'];
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<PlainContext>): void {
    if (context.caller) request.http?.headers.set(BENCH_CALLER_HEADER, context.caller);
  }
}

async function main(): Promise<void> {
  const logger = createLogger('plain-gateway', 'warn');
  const urls = subgraphUrls();
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(requireEnv('SUPERGRAPH_PATH'), 'utf8'),
    buildService: ({ name, url }) => new ForwardingDataSource(urls.get(name) ?? url ?? ''),
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
    context: async (req: IncomingMessage) => {
      const caller = req.headers[BENCH_CALLER_HEADER];
      return { caller: typeof caller === 'string' ? caller : undefined };
    },
    isReady: async () => true,
    port: Number(requireEnv('PORT')),
    logger,
  });
  stopOnSignals(logger, async () => {
    await http.close();
    await apollo.stop();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`plain gateway could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
