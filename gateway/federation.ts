/**
 * Apollo's gateway over the checked-in supergraph: each department's
 * subgraph called over signed HTTP, the steward API served in process.
 */
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { SigningKey } from '../common/governance-context';
import type { Logger } from '../common/logger';
import type { Tracing } from '../common/tracing';
import type { GatewayConfig } from './config';
import { STEWARD_SUBGRAPH } from './steward/steward.schema';
import { SubgraphDataSource } from './subgraph-datasource';
import type { GatewayMetrics } from './telemetry/metrics';

/** Apollo's gateway logs multi-line messages; one event is one line. */
function oneLine(message: unknown): string {
  return String(message).replace(/\s*\n\s*/g, ' ');
}

/**
 * @apollo/gateway 2.14 reports usage to Apollo's own metrics endpoint, and
 * probes cloud providers' metadata addresses to describe the machine, unless
 * APOLLO_TELEMETRY_DISABLED is set. A government gateway sends nothing
 * anywhere but to its departments: it is set, whatever the environment says.
 */
export function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

export function createFederation(
  supergraphSdl: string,
  config: GatewayConfig,
  signingKey: SigningKey,
  stewardSchema: GraphQLSchema,
  logger: Logger,
  metrics?: GatewayMetrics,
  tracing?: Tracing,
): {
  gateway: ApolloGateway;
  subgraphClient: (name: string) => SubgraphDataSource;
  /** Every subgraph client made so far (one per subgraph, once the schema is loaded). */
  subgraphClients: () => SubgraphDataSource[];
  /** Closes every subgraph client; with `abort`, calls in flight fail at once instead of being waited for. */
  closeSubgraphClients: (abort?: boolean) => Promise<void>;
} {
  const urls = new Map(config.subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
  const clients = new Map<string, SubgraphDataSource>();
  disableApolloTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      if (name === STEWARD_SUBGRAPH) return new LocalGraphQLDataSource(stewardSchema);
      const url = urls.get(name);
      if (!url) throw new Error(`the supergraph names subgraph ${name}, which has no configured URL`);
      const client = new SubgraphDataSource(
        name,
        url,
        signingKey,
        logger,
        { timeoutMs: config.subgraphTimeoutMs, connections: config.subgraphConnections },
        { observe: metrics ? (outcome, seconds) => metrics.subgraphCall(name, outcome, seconds) : undefined, tracing },
      );
      clients.set(name, client);
      return client;
    },
    logger: {
      debug: (message: unknown) => logger.debug(oneLine(message)),
      info: (message: unknown) => logger.info(oneLine(message)),
      warn: (message: unknown) => logger.warn(oneLine(message)),
      error: (message: unknown) => logger.error(oneLine(message)),
    },
  });
  const closeSubgraphClients = async (abort = false): Promise<void> => {
    await Promise.all([...clients.values()].map((client) => (abort ? client.abort() : client.close())));
  };
  // The same clients (pool, timeout, signature) serve the gateway's own calls, such as reference checks.
  const subgraphClient = (name: string): SubgraphDataSource => {
    const client = clients.get(name);
    if (!client) throw new Error(`no client for subgraph ${name}`);
    return client;
  };
  return { gateway, subgraphClient, subgraphClients: () => [...clients.values()], closeSubgraphClients };
}
