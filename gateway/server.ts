/**
 * Wiring only: the gateway's stores, access engine, Apollo's federated
 * gateway and the HTTP door, started in order and stopped in reverse. The
 * request path runs: common/http-server.ts (the door) → request/request-gate.ts
 * (identity, purpose, body, decisions) → Apollo and subgraph-datasource.ts
 * (signed subgraph calls) → request/response.plugin.ts (shape, then record).
 */
import { randomUUID } from 'node:crypto';
import { withStartupLock } from '../common/database/startup-lock';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { ApolloServer, type ApolloServerOptionsWithGateway, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { formatPublicError, isPublicError } from '../common/errors';
import { settlesBy } from '../common/deadline';
import { listenHttp } from '../common/http-server';
import { projectRoot } from '../common/project-root';
import { webPages } from '../common/web-pages';
import { authConfigRoute, sampleIdentityRoute } from './identity/sample-identities';
import { createInputGuardPlugin } from '../common/input-guard.plugin';
import { gatewayKeyFile, handOutSubgraphKeys, loadGovernanceSigningKey, loadSecret } from '../common/key-files';
import { createLogger, type Logger } from '../common/logger';
import { startTracing } from '../common/tracing';
import { readCatalog } from './access/catalog';
import { Governor } from './access/governor';
import type { Grant } from './access/policy';
import { createMaskers } from './access/maskers';
import { systemEntry } from './audit/audit-entry';
import { readChainStatus } from './audit/chain-status';
import { documentHash } from './audit/audit-record';
import type { GatewayConfig } from './config';
import { budgetFor } from './cost-budgets';
import { createFederation } from './federation';
import { GatewayMetrics } from './telemetry/metrics';
import { loadSandboxSigningKey } from './identity/sandbox-keys';
import { createTokenVerifier } from './identity/token-verifier';
import { createGatewayReadiness } from './readiness';
import { findEntitiesThrough } from './references/find-entities';
import { createReferenceCheckPlugin } from './references/reference-check.plugin';
import { readReferences } from './references/references';
import { planShutdown } from './shutdown';
import type { GatewayContext } from './request/request-context';
import { createGatewayGate } from './request/request-gate';
import { createResponsePlugin } from './request/response.plugin';
import { SharingService } from './sharing/sharing-service';
import { WorkingCalendar } from './sharing/working-calendar';
import { buildStewardSchema } from './steward/steward.schema';
import { openStores, type Stores } from './stores';

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

/** Routes tried in order; the first that answers ends the search. */
function routesOf(...routes: Route[]): Route {
  return (req, res, url) => routes.some((route) => route(req, res, url));
}

/** How often grants that ran out are looked for, to record their expiry. */
const EXPIRY_CHECK_MS = 5_000;

export interface RunningGateway {
  url: string;
  port: number;
  /** The gateway's own database (grants, audit trail). */
  database: DataSource;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Grants to seed when the store is empty; the sandbox's G1–G5 (valid a year) by default. */
  seedGrants?: Grant[];
}

function createGovernor(config: GatewayConfig, { catalog, reveals }: ReturnType<typeof readCatalog>, stores: Stores): Governor {
  const pseudonymKey = loadSecret('PSEUDONYM_KEY', config.pseudonymKey, gatewayKeyFile(config.dataDir, 'pseudonym.key'));
  return new Governor({
    catalog,
    reveals,
    grants: stores.grants,
    maskers: createMaskers(pseudonymKey),
    strict: config.strict,
    costBudget: (roles) => budgetFor(config.costBudgets, roles),
    hashDocument: (document) => documentHash(stores.auditKey, document),
  });
}

function createApollo(
  federation: ApolloServerOptionsWithGateway<GatewayContext>['gateway'],
  governor: Governor,
  stores: Stores,
  referenceCheck: ApolloServerPlugin<GatewayContext>,
  logger: Logger,
) {
  return new ApolloServer<GatewayContext>({
    // A hash must never stand in for an operation the gateway has not filtered.
    persistedQueries: false,
    gateway: federation,
    // Signals are ours (stopOnSignals): Apollo's own handler would race our stop(), and a stop()
    // that arrives while Apollo 5 is stopping waits on a barrier it never resolves.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => {
      if (!isPublicError(formatted)) logger.error({ err: error, path: formatted.path }, 'internal error hidden from client');
      return formatPublicError(formatted);
    },
    plugins: [
      // The IDE is the project's own build, served by the door (common/web-pages.ts): nothing from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      createInputGuardPlugin(),
      createResponsePlugin(governor, stores.audit, logger),
      referenceCheck,
    ],
  });
}

/** Starts the federated gateway on the checked-in supergraph (no introspection of subgraphs). */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger('gateway', config.logLevel),
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const signingKey = loadGovernanceSigningKey(config.signingKey, config.dataDir);
  // The sandbox hands each subgraph its own key; in production an operator does (docs/subgraph-protocol.md).
  if (!config.signingKey) handOutSubgraphKeys(signingKey, config.dataDir, config.subgraphs);
  const sandboxKey = config.auth.jwksUrl ? undefined : loadSandboxSigningKey(config.dataDir);
  const verifyToken = createTokenVerifier(config.auth, sandboxKey?.publicKey);
  const stores = await openStores(config, logger, options.seedGrants);
  const tracing = startTracing(config.tracing, logger);
  const { database, audit, grants, checkpointer } = stores;
  const sharingCatalog = readCatalog(supergraphSdl);
  const governor = createGovernor(config, sharingCatalog, stores);
  const sharing = new SharingService({
    dataSource: database,
    catalog: sharingCatalog.catalog,
    calendar: WorkingCalendar.load(config.workingCalendarPath),
    recordSystemEvent: (step, requestId) => audit.appendLater(systemEntry('grantExpired', [step], requestId)),
    onGrantsChanged: () => grants.announceChange(),
    logger,
  });
  // The sandbox's sample grants get the history a request would have given them.
  // Replicas starting together take turns; the later ones find the history there.
  if (!config.auth.jwksUrl) {
    await withStartupLock(database, async () => {
      const seedRequestId = randomUUID();
      const seeded = await sharing.seedHistory(seedRequestId);
      if (seeded.length > 0) await audit.append(systemEntry('seedSharingHistory', seeded, seedRequestId));
    });
  }
  const expiries = setInterval(() => {
    sharing.recordExpiries().catch((error: unknown) => logger.error({ err: error }, 'could not record grant expiries'));
  }, EXPIRY_CHECK_MS);
  expiries.unref();
  const stewardSchema: GraphQLSchema = buildStewardSchema({
    catalog: sharingCatalog.catalog,
    grants,
    audit: audit.reader,
    sharing,
    chainStatus: () => readChainStatus(database, stores.auditKey, config.auditAnchorPath),
  });
  let pools: () => { name: string; connected: number; pending: number }[] = () => [];
  const metrics = new GatewayMetrics({
    auditQueue: () => audit.stats(),
    decisionCache: () => governor.decisionCacheStats(),
    subgraphPools: () => pools(),
  });
  audit.observeCommits((seconds) => metrics.auditCommitted(seconds));
  const { gateway, subgraphClient, subgraphClients, closeSubgraphClients } = createFederation(
    supergraphSdl,
    config,
    signingKey,
    stewardSchema,
    logger,
    metrics,
    tracing,
  );
  pools = () => subgraphClients().map((client) => ({ name: client.name, ...client.connections() }));
  const referenceCheck = createReferenceCheckPlugin(readReferences(supergraphSdl), findEntitiesThrough(subgraphClient));
  // Apollo logs and swallows a listener's error: it is kept here and fails the start instead.
  let schemaError: unknown;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    try {
      governor.useSchema(apiSchema);
    } catch (error) {
      schemaError = error;
    }
  });
  const apollo = createApollo(
    gateway as unknown as ApolloServerOptionsWithGateway<GatewayContext>['gateway'],
    governor,
    stores,
    referenceCheck,
    logger,
  );
  /** Every record still queued is committed before the database closes, or by `drainUntil` spooled. */
  const closeStores = async (drainUntil?: number): Promise<void> => {
    clearInterval(expiries);
    grants.stop();
    await audit.drain(drainUntil);
    stores.anchorClaim.release();
    await checkpointer?.stop();
    await database.destroy();
  };
  try {
    await apollo.start();
    if (schemaError) throw schemaError;
  } catch (error) {
    await apollo.stop();
    await closeSubgraphClients();
    await closeStores();
    await tracing?.shutdown();
    throw error;
  }
  const gate = createGatewayGate({
    verifyToken,
    governor,
    recordRefusal: (entry) => audit.appendLater(entry),
    rateLimits: config.rateLimits,
    trustedProxies: config.trustedProxies,
    logger,
    onFinished: (facts, status, outcome) =>
      metrics.request(
        outcome,
        status,
        facts.operationName ?? facts.operationType ?? null,
        (Date.now() - facts.startedAt) / 1000,
        facts.decisions,
      ),
    tracing,
  });
  const http = await listenHttp({
    apollo,
    gate,
    readTimeouts: config.readTimeouts,
    pages: webPages(path.join(projectRoot(), 'dist', 'web')),
    corsOrigins: config.corsOrigins,
    routes: routesOf(
      metrics.route(),
      authConfigRoute({ issuer: config.auth.issuer, audience: config.auth.audience, sandbox: sandboxKey !== undefined }),
      ...(sandboxKey ? [sampleIdentityRoute(sandboxKey.privateKey)] : []),
    ),
    isReady: createGatewayReadiness({ probeAudit: () => audit.probeWritable(), subgraphs: config.subgraphs }),
    port: config.port,
    host: config.host,
    logger,
    tracing,
  });
  logger.info({ url: http.url }, 'gateway listening');
  let stopping: Promise<void> | undefined;
  /**
   * Within SHUTDOWN_TIMEOUT_MS (gateway/shutdown.ts): stop accepting; give
   * requests in flight until the cutoff; then record each one still
   * unanswered (503) and close its connection, and fail its subgraph calls
   * rather than wait for them; drain the audit queue, spooling what cannot
   * be committed; close the database. Steps that could hang on something
   * outside (a subgraph, a database that does not answer) are waited for
   * only until their part of the deadline.
   */
  const stop = async (): Promise<void> => {
    const plan = planShutdown(config.shutdownTimeoutMs);
    audit.limitLockWait(plan.lockWaitMs);
    const failed = (step: string) => (error: unknown) => logger.error({ err: error, step }, 'a shutdown step failed');
    const within = async (step: string, work: Promise<unknown>, until: number) => {
      if (!(await settlesBy(work.catch(failed(step)), until)))
        logger.error({ step }, 'a shutdown step ran past its time; stopping without it');
    };
    const closed = http.close();
    const answered = await settlesBy(closed, plan.cutoff);
    if (!answered) {
      logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown deadline: cutting off the requests still in flight');
      http.closeAllConnections();
    }
    // The counts of a flood still being summed up are recorded before the trail closes.
    gate.stop();
    // Cut-off requests waiting on a subgraph would otherwise wait out SUBGRAPH_TIMEOUT_MS.
    const clientsClosed = closeSubgraphClients(!answered).catch(failed('subgraph clients'));
    await within('http', closed, plan.drainUntil);
    await within('apollo', apollo.stop(), plan.drainUntil);
    await within('subgraph clients', clientsClosed, plan.drainUntil);
    // Every request has ended: its spans are sent while the audit drains, within the same deadline.
    const traced = tracing?.shutdown(plan.deadline);
    await within('stores', closeStores(plan.drainUntil), plan.deadline);
    if (traced) await within('tracing', traced, plan.deadline);
  };
  return {
    url: http.url,
    port: http.port,
    database,
    // Idempotent: stopping twice waits for the first stop.
    stop: () => (stopping ??= stop()),
  };
}
