import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerOptionsWithGateway } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { formatPublicError, isPublicError, RequestRefusedError } from '../common/errors';
import { listenHttp } from '../common/http-server';
import { createDataSource, openDataSource } from '../common/database/datasource';
import { BACKSTOP_CHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from '../common/database/checkpointer';
import { StatementCounter } from '../common/database/statement-counter';
import { encodeContext } from '../common/governance-context';
import { createInputGuardPlugin } from '../common/input-guard.plugin';
import { loadSecret, loadSigningKey } from '../common/key-files';
import { requestIdFrom } from '../common/request-id';
import { createLogger, type Logger } from '../common/logger';
import { readCatalog } from './access/catalog';
import { Governor } from './access/governor';
import { sandboxGrants } from './access/grants';
import type { Grant } from './access/policy';
import { GrantRecord } from './grants/grant.entity';
import { GrantStore } from './grants/grant-store';
import { CreateGrants1732262400000 } from './grants/migrations/1732262400000-create-grants';
import { buildStewardSchema, STEWARD_SUBGRAPH } from './steward/steward.schema';
import { createMaskers } from './access/maskers';
import { OperationRefusedError } from './access/governor';
import { buildAuditEntry, type RequestFacts } from './audit/audit-entry';
import { documentHash, escapeLabel } from './audit/audit-record';
import { AuditStore } from './audit/audit-store';
import { createGovernancePlugin } from './audit/governance.plugin';
import { AUDIT_MIGRATIONS } from './audit/migrations';
import type { GatewayConfig } from './config';
import { purposeFrom } from './identity/purpose';
import { loadSandboxSigningKey } from './identity/sandbox-keys';
import { createTokenVerifier } from './identity/token-verifier';
import { areSubgraphsReady } from './readiness';
import { SubgraphDataSource, type GatewayContext } from './subgraph-datasource';

export interface RunningGateway {
  url: string;
  port: number;
  /** The gateway's own database (grants, audit trail). */
  database: DataSource;
  stop(): Promise<void>;
}

/** Apollo's gateway logs multi-line messages; one event is one line. */
function oneLine(message: unknown): string {
  return String(message).replace(/\s*\n\s*/g, ' ');
}

export interface GatewayOptions {
  /** Grants to seed when the store is empty; the sandbox's G1–G4 (valid a year) by default. */
  seedGrants?: Grant[];
}

interface Stores {
  database: DataSource;
  audit: AuditStore;
  grants: GrantStore;
  auditKey: Buffer;
  checkpointer: Checkpointer | undefined;
}

/** The gateway's own database: grants, and the audit trail whose chain key lives outside it. */
async function openStores(config: GatewayConfig, logger: Logger, seedGrants: Grant[] | undefined): Promise<Stores> {
  const database = await openDataSource(
    createDataSource(config.database, { entities: [GrantRecord], migrations: [CreateGrants1732262400000, ...AUDIT_MIGRATIONS] }, new StatementCounter(logger)),
    config.database,
  );
  // Audit commits are many and small: the log is copied into the file off the event loop.
  let checkpointer: Checkpointer | undefined;
  if (config.database.kind === 'sqlite') {
    (database.driver as unknown as { databaseConnection: { pragma(source: string): unknown } }).databaseConnection.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(config.database.path, logger);
  }
  try {
    const auditKey = loadSecret('AUDIT_CHAIN_KEY', config.auditKey, path.join(config.dataDir, 'keys', 'audit-chain.key'));
    const audit = new AuditStore(database, auditKey, config.auditAnchorPath, logger);
    await audit.open();
    const grants = new GrantStore(database, logger);
    // Only the sandbox, with its own token key, ships sample grants; production grants are made by stewards.
    if (!config.auth.jwksUrl) await grants.seedIfEmpty(seedGrants ?? sandboxGrants(new Date()));
    await grants.reload();
    grants.start(config.grantsReloadMs);
    return { database, audit, grants, auditKey, checkpointer };
  } catch (error) {
    await checkpointer?.stop();
    throw error;
  }
}

/** Apollo's gateway over the checked-in supergraph: departments by signed HTTP, the steward API in process. */
function createFederation(
  supergraphSdl: string,
  config: GatewayConfig,
  signingKey: Buffer,
  stewardSchema: GraphQLSchema,
  logger: Logger,
): { gateway: ApolloGateway; closeSubgraphClients: () => Promise<void> } {
  const urls = new Map(config.subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
  const clients: SubgraphDataSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      if (name === STEWARD_SUBGRAPH) return new LocalGraphQLDataSource(stewardSchema);
      const url = urls.get(name);
      if (!url) throw new Error(`the supergraph names subgraph ${name}, which has no configured URL`);
      const client = new SubgraphDataSource(name, url, signingKey, logger);
      clients.push(client);
      return client;
    },
    logger: {
      debug: (message: unknown) => logger.debug(oneLine(message)),
      info: (message: unknown) => logger.info(oneLine(message)),
      warn: (message: unknown) => logger.warn(oneLine(message)),
      error: (message: unknown) => logger.error(oneLine(message)),
    },
  });
  const closeSubgraphClients = async (): Promise<void> => {
    await Promise.all(clients.map((client) => client.close()));
  };
  return { gateway, closeSubgraphClients };
}

/** What is known of each request so far, so that a refusal at the door is audited with it. */
function requestFactsTracker(): (req: IncomingMessage) => RequestFacts {
  const known = new WeakMap<IncomingMessage, RequestFacts>();
  return (req) => {
    let facts = known.get(req);
    if (!facts) {
      facts = {
        startedAt: Date.now(),
        requestId: requestIdFrom(req.headers['x-request-id']),
        clientName: escapeLabel(req.headers['apollographql-client-name']),
        clientVersion: escapeLabel(req.headers['apollographql-client-version']),
      };
      known.set(req, facts);
    }
    return facts;
  };
}

/** Starts the federated gateway on the checked-in supergraph (no introspection of subgraphs). */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger('gateway', config.logLevel),
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const signingKey = loadSigningKey(config.signingKey, config.dataDir);
  const verifyToken = createTokenVerifier(config.auth, config.auth.jwksUrl ? undefined : loadSandboxSigningKey(config.dataDir).publicKey);
  const { catalog, reveals } = readCatalog(supergraphSdl);
  const { database, audit, grants, auditKey, checkpointer } = await openStores(config, logger, options.seedGrants);
  const governor = new Governor({
    catalog,
    reveals,
    grants,
    maskers: createMaskers(loadSecret('PSEUDONYM_KEY', config.pseudonymKey, path.join(config.dataDir, 'keys', 'pseudonym.key'))),
    strict: config.strict,
    hashDocument: (document) => documentHash(auditKey, document),
  });
  const { gateway, closeSubgraphClients } = createFederation(supergraphSdl, config, signingKey, buildStewardSchema({ catalog, grants, audit: audit.reader }), logger);
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => governor.useSchema(apiSchema));
  const apollo = new ApolloServer<GatewayContext>({
    // A hash must never stand in for an operation the gateway has not filtered.
    persistedQueries: false,
    // @apollo/gateway 2.14 predates @apollo/server 5's copy of the interface; they are compatible.
    gateway: gateway as unknown as ApolloServerOptionsWithGateway<GatewayContext>['gateway'],
    // Signals are ours (stopOnSignals): Apollo's own handler would race our stop(), and a stop()
    // that arrives while Apollo 5 is stopping waits on a barrier it never resolves.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => {
      if (!isPublicError(formatted)) logger.error({ err: error, path: formatted.path }, 'internal error hidden from client');
      return formatPublicError(formatted);
    },
    plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }), createInputGuardPlugin(), createGovernancePlugin(governor, audit, logger)],
  });
  await apollo.start();
  const factsOf = requestFactsTracker();
  let stopping: Promise<void> | undefined;
  const http = await listenHttp({
    apollo,
    context: async (req: IncomingMessage): Promise<GatewayContext> => {
      const facts = factsOf(req);
      if (req.method === 'GET') throw new RequestRefusedError(405, 'BAD_USER_INPUT', 'Send operations with POST');
      const identity = await verifyToken(req.headers.authorization);
      const { sub, department, roles, areas } = identity;
      facts.caller = { sub, department, roles };
      const purpose = purposeFrom(req.headers['x-purpose']);
      facts.purpose = purpose;
      const { requestId } = facts;
      return { requestId, identity, purpose, facts, encodedContext: encodeContext({ sub, department, roles, areas, purpose, requestId }) };
    },
    prepareBody: (body, context) => {
      try {
        const { body: prepared, plan } = governor.prepare(body, context.identity, context.purpose);
        context.plan = plan;
        return prepared;
      } catch (error) {
        if (error instanceof OperationRefusedError) Object.assign(context.facts, error.facts);
        throw error;
      }
    },
    onRefused: (req, status) => audit.appendLater(buildAuditEntry(factsOf(req), status >= 500 ? 'error' : 'refused', status)),
    isReady: async () => audit.healthy && (await areSubgraphsReady(config.subgraphs)),
    port: config.port,
    host: config.host,
    logger,
  });
  logger.info({ url: http.url }, 'gateway listening');
  return {
    url: http.url,
    port: http.port,
    database,
    // Idempotent: stopping twice waits for the first stop.
    stop: () =>
      (stopping ??= (async () => {
        grants.stop();
        await http.close();
        await apollo.stop();
        await closeSubgraphClients();
        // Every record still queued is written before the database closes.
        await audit.drain();
        await checkpointer?.stop();
        await database.destroy();
      })()),
  };
}
