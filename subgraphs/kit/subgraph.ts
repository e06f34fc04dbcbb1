import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { GovernanceContext } from '../../common/governance-context';
import { contextGate, listenHttp } from '../../common/http-server';
import { loadSigningKey } from '../../common/key-files';
import { createLogger, type Logger } from '../../common/logger';
import type { SubgraphConfig } from './config';
import { createContextFactory, createUnsignedBenchContextFactory, type SubgraphContext } from './context';
import { createDataSource, openDataSource, type DatabaseParts } from '../../common/database/datasource';
import { buildFederatedSchema, type FederatedSchemaParts } from './federated-schema';
import { createErrorFormatter } from './format-error';
import { createInputGuardPlugin } from '../../common/input-guard.plugin';
import { StatementCounter } from '../../common/database/statement-counter';

/** What a department contributes: its tables, its schema, its services and loaders. */
export interface SubgraphDefinition<TLoaders, TServices> {
  name: string;
  database: DatabaseParts;
  schema: FederatedSchemaParts;
  /** Services bound to one caller's jurisdiction; made per request. */
  createServices(dataSource: DataSource, caller: GovernanceContext): TServices;
  createLoaders(services: TServices): TLoaders;
}

const SUBGRAPH_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface SubgraphOptions {
  /**
   * Benchmark only: also listen here, without signature checks, for gateways
   * that cannot sign (see createUnsignedBenchContextFactory). No environment
   * variable or configuration sets it.
   */
  unsignedBenchPort?: number;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  /** The benchmark's unsigned listener, when one was asked for. */
  unsignedBenchUrl?: string;
  dataSource: DataSource;
  statements: StatementCounter;
  stop(): Promise<void>;
}

export async function startSubgraph<TLoaders, TServices>(
  definition: SubgraphDefinition<TLoaders, TServices>,
  config: SubgraphConfig,
  logger: Logger = createLogger(definition.name, config.logLevel),
  options: SubgraphOptions = {},
): Promise<RunningSubgraph> {
  const statements = new StatementCounter(logger);
  const dataSource = await openDataSource(createDataSource(config.database, definition.database, statements), config.database);
  try {
    const schema: GraphQLSchema = await buildFederatedSchema(definition.schema);
    const apollo = new ApolloServer<SubgraphContext<TLoaders, TServices>>({
      schema,
      formatError: createErrorFormatter(logger),
      // Signals are ours (stopOnSignals): Apollo's own handler would race our stop(), and a stop()
      // that arrives while Apollo 5 is stopping waits on a barrier it never resolves.
      stopOnTerminationSignals: false,
      includeStacktraceInErrorResponses: false,
      plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), createInputGuardPlugin()],
    });
    await apollo.start();
    const signingKey = loadSigningKey(config.signingKey, config.dataDir);
    const createServices = (caller: GovernanceContext) => definition.createServices(dataSource, caller);
    const context = createContextFactory(definition.name, signingKey, createServices, definition.createLoaders, logger);
    const isReady = async () => (await dataSource.query('SELECT 1 AS ok')).length === 1;
    const http = await listenHttp({
      apollo,
      gate: contextGate(context),
      isReady,
      port: config.port,
      host: config.host,
      logger,
      // The gateway's entity fetches for a large page can exceed a client-sized limit.
      maxBodyBytes: SUBGRAPH_MAX_BODY_BYTES,
    });
    const unsigned =
      options.unsignedBenchPort === undefined
        ? undefined
        : await listenHttp({
            apollo,
            gate: contextGate(createUnsignedBenchContextFactory(createServices, definition.createLoaders)),
            isReady,
            port: options.unsignedBenchPort,
            host: '127.0.0.1',
            logger,
            maxBodyBytes: SUBGRAPH_MAX_BODY_BYTES,
          });
    logger.info({ url: http.url, database: config.database.kind }, 'subgraph listening');
    if (unsigned) logger.warn({ url: unsigned.url }, 'benchmark listener without signature checks');
    return {
      name: definition.name,
      url: http.url,
      port: http.port,
      unsignedBenchUrl: unsigned?.url,
      dataSource,
      statements,
      stop: async () => {
        await unsigned?.close();
        await http.close();
        await apollo.stop();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
