import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { GovernanceContext } from '../../common/governance-context';
import { contextGate, listenHttp, type RunningHttpService } from '../../common/http-server';
import { loadGovernanceVerifyingKeys } from '../../common/key-files';
import { createLogger, type Logger } from '../../common/logger';
import type { SubgraphConfig } from '../../common/subgraph-config';
import { SPAN_ATTRIBUTES, startTracing, type Tracing } from '../../common/tracing';
import type { RunningDepartment, StartOptions } from '../department-server';
import { bindCallerContext, createContextFactory, type SubgraphContext } from './context';
import { createDataSource, openDataSource, type DatabaseParts } from '../../common/database/datasource';
import { buildFederatedSchema, type FederatedSchemaParts } from './federated-schema';
import { createErrorFormatter } from './format-error';
import { createInputGuardPlugin } from '../../common/input-guard.plugin';
import { StatementCounter } from '../../common/database/statement-counter';
import { openNonceStore, type NonceStore } from './nonce-ledger';

/** What a department contributes: its tables, its schema, its services and loaders. */
export interface SubgraphDefinition<TLoaders, TServices> {
  name: string;
  database: DatabaseParts;
  schema: FederatedSchemaParts;
  /** Services bound to one caller's jurisdiction; made per request. */
  createServices(dataSource: DataSource, caller: GovernanceContext): TServices;
  createLoaders(services: TServices): TLoaders;
}

/** A department's definition from its parts, typed by its own services and loaders. */
export function defineSubgraph<TLoaders, TServices>(
  name: string,
  database: DatabaseParts,
  schema: FederatedSchemaParts,
  createServices: (dataSource: DataSource, caller: GovernanceContext) => TServices,
  createLoaders: (services: TServices) => TLoaders,
): SubgraphDefinition<TLoaders, TServices> {
  return { name, database, schema, createServices: (dataSource, caller) => createServices(dataSource, caller), createLoaders };
}

const SUBGRAPH_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A kit department running: what every department reports, and its DataSource. */
export interface RunningSubgraph extends RunningDepartment {
  dataSource: DataSource;
  statements: StatementCounter;
  /** The replay ledger: its claims are counted apart from `statements`. */
  nonces: NonceStore;
}

async function startApollo<TContext extends object>(schema: GraphQLSchema, logger: Logger): Promise<ApolloServer<TContext>> {
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: createErrorFormatter(logger),
    // Signals are ours (stopOnSignals): Apollo's own handler would race our stop(), and a stop()
    // that arrives while Apollo 5 is stopping waits on a barrier it never resolves.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), createInputGuardPlugin()],
  });
  await apollo.start();
  return apollo;
}

/** The signed listener, and the second one when the options ask for it; both serve the same Apollo and data. */
async function openListeners<TLoaders, TServices>(
  definition: SubgraphDefinition<TLoaders, TServices>,
  config: SubgraphConfig,
  parts: {
    apollo: ApolloServer<SubgraphContext<TLoaders, TServices>>;
    dataSource: DataSource;
    nonces: NonceStore;
    logger: Logger;
    tracing: Tracing | undefined;
  },
  options: StartOptions,
): Promise<{ signed: RunningHttpService; second: RunningHttpService | undefined }> {
  const { apollo, dataSource, nonces, logger, tracing } = parts;
  const contextFor = bindCallerContext((caller) => definition.createServices(dataSource, caller), definition.createLoaders);
  const verifyingKeys = loadGovernanceVerifyingKeys(config.verifyKeys, config.keysFolder);
  const isReady = async () => (await dataSource.query('SELECT 1 AS ok')).length === 1;
  // The gateway's entity fetches for a large page can exceed a client-sized limit.
  const shared = { apollo, isReady, logger, maxBodyBytes: SUBGRAPH_MAX_BODY_BYTES, tracing };
  const context = createContextFactory(definition.name, verifyingKeys, nonces, contextFor, logger);
  const signed = await listenHttp({ ...shared, gate: contextGate(context), port: config.port, host: config.host });
  const extra = options.secondListener;
  if (!extra) return { signed, second: undefined };
  const identified = async (req: IncomingMessage) => contextFor(extra.identify(req));
  const second = await listenHttp({ ...shared, gate: contextGate(identified), port: extra.port, host: '127.0.0.1' });
  logger.warn({ url: second.url }, 'second listener without signature checks');
  return { signed, second };
}

export async function startSubgraph<TLoaders, TServices>(
  definition: SubgraphDefinition<TLoaders, TServices>,
  config: SubgraphConfig,
  logger: Logger = createLogger(definition.name, config.logLevel),
  options: StartOptions = {},
): Promise<RunningSubgraph> {
  const statements = new StatementCounter(logger);
  const dataSource = await openDataSource(createDataSource(config.database, definition.database, statements), config.database);
  let nonces: NonceStore | undefined;
  // Its calls' spans continue the gateway's; the department on each (docs/operations.md#traces).
  const tracing = startTracing(config.tracing, logger, { [SPAN_ATTRIBUTES.department]: definition.name });
  try {
    nonces = await openNonceStore(config.database);
    const apollo = await startApollo<SubgraphContext<TLoaders, TServices>>(await buildFederatedSchema(definition.schema), logger);
    const { signed, second } = await openListeners(definition, config, { apollo, dataSource, nonces, logger, tracing }, options);
    logger.info({ url: signed.url, database: config.database.kind }, 'subgraph listening');
    return {
      name: definition.name,
      url: signed.url,
      port: signed.port,
      secondUrl: second?.url,
      dataSource,
      statements,
      nonces,
      stop: async () => {
        await second?.close();
        await signed.close();
        await apollo.stop();
        await nonces?.close();
        await dataSource.destroy();
        await tracing?.shutdown();
      },
    };
  } catch (error) {
    await nonces?.close();
    await dataSource.destroy();
    await tracing?.shutdown();
    throw error;
  }
}
