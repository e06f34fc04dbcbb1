import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import type { DatabaseConfig } from '../../common/database/database-config';
import { formatPublicError, isPublicError, UnauthenticatedError } from '../../common/errors';
import { contextGate, listenHttp } from '../../common/http-server';
import { createInputGuardPlugin } from '../../common/input-guard.plugin';
import { loadGovernanceVerifyingKeys } from '../../common/key-files';
import type { Logger } from '../../common/logger';
import type { SubgraphConfig } from '../../common/subgraph-config';
import { SPAN_ATTRIBUTES, startTracing, type Tracing } from '../../common/tracing';
import type { RunningDepartment, StartOptions, StatementCount } from '../department-server';
import { createLoaders } from './loaders';
import { migrate } from './migrations/migrate';
import { NONCE_MIGRATIONS } from './migrations/nonces';
import { RECORD_MIGRATIONS } from './migrations/records';
import { SqlNonceLedger } from './nonce-ledger';
import { Records } from './records';
import type { SocialSecurityContext } from './resolvers';
import { buildSocialSecuritySchema } from './schema';
import { openSql, type Sql } from './sql';
import { createVerifier, type SignedContext } from './verifier';

export const SOCIAL_SECURITY = 'social-security';

/** The gateway's entity fetches for a large page can exceed a client-sized limit. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** How often nonces past their time are deleted. */
const FORGET_EVERY_MS = 60_000;

/** Beside a SQLite database, the nonces' own file (social-security.sqlite → social-security.nonces.sqlite). */
function nonceDatabase(database: DatabaseConfig): DatabaseConfig | undefined {
  if (database.kind !== 'sqlite') return undefined;
  const { dir, name } = path.parse(database.path);
  return { kind: 'sqlite', path: path.join(dir, `${name}.nonces.sqlite`) };
}

/** Known codes pass with their message; anything else is INTERNAL, its cause logged and never sent. */
function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (!isPublicError(formatted)) {
      logger.error(
        { err: (error as { originalError?: unknown }).originalError ?? error, path: formatted.path },
        'internal error hidden from client',
      );
    }
    return formatPublicError(formatted);
  };
}

async function startApollo(logger: Logger): Promise<ApolloServer<SocialSecurityContext>> {
  const apollo = new ApolloServer<SocialSecurityContext>({
    schema: buildSocialSecuritySchema(),
    formatError: formatError(logger),
    // Signals are the process entry's (stopOnSignals), not Apollo's.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), createInputGuardPlugin()],
  });
  await apollo.start();
  return apollo;
}

interface Storage {
  records: Sql;
  /** The records' own database on PostgreSQL; a file of its own beside a SQLite database. */
  nonces: Sql;
}

async function closeStorage(storage: Storage): Promise<void> {
  if (storage.nonces !== storage.records) await storage.nonces.close();
  await storage.records.close();
}

/** Opens the records' database and the nonces' storage, migrated; closes both if that fails. */
async function openStorage(config: SubgraphConfig, tally: { count: number }, logger: Logger): Promise<Storage> {
  const records = openSql(config.database, tally, logger);
  const ownFile = nonceDatabase(config.database);
  const storage = { records, nonces: ownFile ? openSql(ownFile, tally, logger) : records };
  try {
    await migrate(storage.records, 'schema_migration', RECORD_MIGRATIONS);
    await migrate(storage.nonces, 'nonce_migration', NONCE_MIGRATIONS);
    return storage;
  } catch (error) {
    await closeStorage(storage);
    throw error;
  }
}

/** The context of a request the gateway signed for this subgraph; 401 otherwise, the reason logged and never sent. */
function signedContexts(
  config: SubgraphConfig,
  ledger: SqlNonceLedger,
  contextFor: (caller: SignedContext) => SocialSecurityContext,
  logger: Logger,
) {
  const verify = createVerifier({
    audience: SOCIAL_SECURITY,
    keys: loadGovernanceVerifyingKeys(config.verifyKeys, config.keysFolder),
    nonces: ledger,
  });
  return async (req: IncomingMessage, rawBody: string): Promise<SocialSecurityContext> => {
    const verdict = await verify(req.headers, rawBody);
    if (!verdict.accepted) {
      logger.warn({ reason: verdict.reason, from: req.socket.remoteAddress }, 'refused an unsigned or badly signed request');
      throw new UnauthenticatedError('Subgraphs answer only requests signed by the gateway');
    }
    return contextFor(verdict.context);
  };
}

/** The signed listener, and for harnesses that ask the second one, on one Apollo server over open storage. */
async function serve(
  config: SubgraphConfig,
  logger: Logger,
  options: StartOptions,
  storage: Storage,
  statements: StatementCount,
  tracing: Tracing | undefined,
) {
  const ledger = new SqlNonceLedger(storage.nonces);
  // Records and loaders are made per request for the caller: nothing is cached across callers.
  const contextFor = (caller: SignedContext): SocialSecurityContext => {
    const records = new Records(storage.records, caller.areas, caller.department === 'social-security');
    return { caller, records, loaders: createLoaders(records) };
  };
  const apollo = await startApollo(logger);
  const isReady = async () => (await storage.records.query('SELECT 1 AS ok')).length === 1;
  const shared = { apollo, isReady, logger, maxBodyBytes: MAX_BODY_BYTES, tracing };
  const signed = await listenHttp({
    ...shared,
    gate: contextGate(signedContexts(config, ledger, contextFor, logger)),
    port: config.port,
    host: config.host,
  });
  const extra = options.secondListener;
  const second = extra
    ? await listenHttp({
        ...shared,
        gate: contextGate(async (req) => contextFor(extra.identify(req))),
        port: extra.port,
        host: '127.0.0.1',
      })
    : undefined;
  if (second) logger.warn({ url: second.url }, 'second listener without signature checks');
  const forget = () =>
    ledger.forgetExpired(Date.now()).catch((error: unknown) => logger.warn({ err: error }, 'could not forget old nonces'));
  await forget();
  const forgetting = setInterval(forget, FORGET_EVERY_MS).unref();
  logger.info({ url: signed.url, database: config.database.kind }, 'subgraph listening');
  return {
    name: SOCIAL_SECURITY,
    url: signed.url,
    port: signed.port,
    secondUrl: second?.url,
    statements,
    stop: async () => {
      clearInterval(forgetting);
      await second?.close();
      await signed.close();
      await apollo.stop();
      await closeStorage(storage);
      await tracing?.shutdown();
    },
  };
}

/**
 * Opens the department's storage and serves its subgraph: the signed
 * listener answers only calls the gateway signed for it (verifier.ts).
 */
export async function startSocialSecurity(config: SubgraphConfig, logger: Logger, options: StartOptions = {}): Promise<RunningDepartment> {
  const statements = { count: 0 };
  const storage = await openStorage(config, statements, logger);
  // Its calls' spans continue the gateway's; the department on each (docs/operations.md#traces).
  const tracing = startTracing(config.tracing, logger, { [SPAN_ATTRIBUTES.department]: SOCIAL_SECURITY });
  try {
    return await serve(config, logger, options, storage, statements, tracing);
  } catch (error) {
    await closeStorage(storage);
    await tracing?.shutdown();
    throw error;
  }
}
