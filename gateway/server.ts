import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerOptionsWithGateway } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLFormattedError } from 'graphql';
import { formatPublicError, isPublicError } from '../common/errors';
import { listenHttp } from '../common/http-server';
import { createInputGuardPlugin } from '../common/input-guard.plugin';
import { requestIdFrom } from '../common/request-id';
import { createLogger, type Logger } from '../common/logger';
import type { GatewayConfig } from './config';
import { areSubgraphsReady } from './readiness';
import { SubgraphDataSource, type GatewayContext } from './subgraph-datasource';

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Apollo's gateway logs multi-line messages; one event is one line. */
function oneLine(message: unknown): string {
  return String(message).replace(/\s*\n\s*/g, ' ');
}

/** Starts the federated gateway on the checked-in supergraph (no introspection of subgraphs). */
export async function startGateway(config: GatewayConfig, logger: Logger = createLogger('gateway', config.logLevel)): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const urls = new Map(config.subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const url = urls.get(name);
      if (!url) throw new Error(`the supergraph names subgraph ${name}, which has no configured URL`);
      return new SubgraphDataSource(name, url, logger);
    },
    logger: {
      debug: (message: unknown) => logger.debug(oneLine(message)),
      info: (message: unknown) => logger.info(oneLine(message)),
      warn: (message: unknown) => logger.warn(oneLine(message)),
      error: (message: unknown) => logger.error(oneLine(message)),
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    // @apollo/gateway 2.14 predates @apollo/server 5's copy of the interface; they are compatible.
    gateway: gateway as unknown as ApolloServerOptionsWithGateway<GatewayContext>['gateway'],
    includeStacktraceInErrorResponses: false,
    introspection: true,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => {
      if (!isPublicError(formatted)) logger.error({ err: error, path: formatted.path }, 'internal error hidden from client');
      return formatPublicError(formatted);
    },
    plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }), createInputGuardPlugin()],
  });
  await apollo.start();
  const http = await listenHttp({
    apollo,
    context: async (req: IncomingMessage): Promise<GatewayContext> => ({ requestId: requestIdFrom(req.headers['x-request-id']) }),
    isReady: () => areSubgraphsReady(config.subgraphs),
    port: config.port,
    host: config.host,
    logger,
  });
  logger.info({ url: http.url }, 'gateway listening');
  return {
    url: http.url,
    port: http.port,
    stop: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}
