import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeContext, signRequest, type GovernanceContext, type SigningKey } from '../../common/governance-context';
import { loadGovernanceSigningKey } from '../../common/key-files';
import { createLogger, type Logger } from '../../common/logger';
import type { Identity } from '../../gateway/identity/identity';
import type { TokenSettings } from '../../gateway/identity/token-verifier';
import { loadSandboxSigningKey, mintSandboxToken } from '../../gateway/identity/sandbox-keys';
import type { ReadTimeouts } from '../../common/http-server';
import { loadGatewayConfig } from '../../gateway/config';
import type { RateLimitSettings } from '../../gateway/request/rate-limits';
import { startGateway, type RunningGateway } from '../../gateway/server';
import type { DataSource } from 'typeorm';
import { DEPARTMENTS } from '../../common/departments';
import type { DatabaseConfig } from '../../common/database/database-config';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import type { RunningDepartment } from '../../subgraphs/department-server';
import { loadDepartment } from '../../subgraphs/departments';
import type { County } from '../../synth/county';
import { sandboxGrants } from '../../gateway/access/grants';
import type { Grant } from '../../gateway/access/policy';
import { startRecorder, type ProxyFault, type RecordedRequest, type Recorder } from './recorder';
import { DEFAULT_AS_OF, seedDatabases } from '../../synth/seed-databases';

/**
 * The whole sandbox for one test file: every department's real subgraph (from
 * the registry) on its own SQLite file in a fresh temporary folder, and the real gateway, all on free
 * ports. Nothing is mocked.
 */
export interface Stack {
  county: County;
  gatewayUrl: string;
  /** By department name. */
  subgraphs: Record<string, RunningDepartment>;
  /** The TypeORM DataSource of a department built on the kit (its tables, for setting up and checking rows). */
  dataSource(department: string): DataSource;
  /** Where each department keeps its data. */
  database(department: string): DatabaseConfig;
  /** Every request each subgraph received from the gateway, as sent, by department name. */
  received: Record<string, RecordedRequest[]>;
  /** Makes the pass-through in front of one subgraph answer as a failing proxy would; `undefined` mends it. */
  breakProxy(subgraph: string, fault: ProxyFault | undefined): void;
  /** The bodies the subgraphs received for the requests sent with this X-Request-Id (the gateway passes on its own id). */
  sentFor(requestId: string): string[];
  gateway: RunningGateway;
  /**
   * Stops the gateway (if it is not stopped already) and starts a new one on
   * the same data folder and settings, as a restart does; `gateway` and
   * `gatewayUrl` then name the new one.
   */
  restartGateway(): Promise<RunningGateway>;
  /**
   * Another gateway on the same settings and database, as a replica named
   * `replica` (its own anchor and spool); stop() stops it too.
   */
  startReplica(replica: string): Promise<RunningGateway>;
  dataDir: string;
  /** POST to the gateway as `as` (default: the stack's caller) for `purpose` (default: the stack's purpose, else `service`). */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResult<T>>;
  /** POST a raw request body to the gateway as the stack's caller. */
  post<T = Record<string, unknown>>(body: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResult<T>>;
  /** A sandbox token for `identity`, as `npm run token` would mint it. */
  token(identity?: Partial<Identity>, ttlSeconds?: number): Promise<string>;
  /** POST straight to a subgraph with the gateway's signature over `context`. */
  querySubgraphSigned<T = Record<string, unknown>>(
    url: string,
    query: string,
    variables?: Record<string, unknown>,
    context?: Partial<GovernanceContext>,
  ): Promise<GraphQLResult<T>>;
  signingKey: SigningKey;
  /** SQL statements sent by all the subgraphs so far. */
  statements(): number;
  stop(): Promise<void>;
}

export interface RequestOptions {
  as?: Partial<Identity>;
  purpose?: string | null;
  headers?: Record<string, string>;
}

/** Staff of each department, county-wide. */
export const PETITIONS_OFFICER: Partial<Identity> = { sub: 'test-petitions-officer', department: 'petitions', roles: ['officer'] };
export const GRID_WORKER: Partial<Identity> = { sub: 'test-grid-worker', department: 'grid', roles: ['grid_worker', 'officer'] };

/**
 * A grant for tests that need one caller to read across every department
 * in one request: civil affairs, for supervision, may see the other
 * departments' CONDITIONAL fields of a resident.
 */
export const SUPERVISION_GRANT: Grant = {
  id: 'TEST-SUPERVISION',
  consumer: 'civil-affairs',
  fields: [
    'Resident.petitions',
    'Resident.careLevel',
    'Resident.visits',
    'Visit.id',
    'Visit.visitedAt',
    'Petition.subject',
    'Resident.employment',
    'Employment.status',
    'Employment.since',
    'Resident.pensions',
    'PensionPayment.month',
    'PensionPayment.amount',
  ],
  purposes: ['supervision'],
  masked: [],
  validFrom: '2000-01-01T00:00:00.000Z',
  validUntil: '2100-01-01T00:00:00.000Z',
};

/** The sandbox grants (in force since yesterday) and the supervision grant. */
export function grantsWithSupervision(): Grant[] {
  return [...sandboxGrants(new Date(Date.now() - 86_400_000)), SUPERVISION_GRANT];
}

export const COUNTY_OFFICER: Identity = {
  sub: 'test-officer',
  name: '测试专员',
  department: 'civil-affairs',
  roles: ['officer'],
  areas: ['610921'],
};

export interface GraphQLResult<T> {
  status: number;
  /** The gateway's id for the request (its X-Request-Id response header). */
  requestId?: string;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

const silent = () => createLogger('test', 'silent');

export interface StackOptions {
  residents?: number;
  seed?: number;
  /** Where each subgraph keeps its data; SQLite files in a temporary folder by default. */
  database?: (subgraph: string) => DatabaseConfig;
  /** Who `query` asks as unless told otherwise (default: a county-wide civil-affairs officer), and why. */
  caller?: Partial<Identity>;
  purpose?: string;
  /** Grants in force (default: the sandbox's G1–G5). */
  grants?: Grant[];
  strict?: boolean;
  /** Token settings for the gateway (a JWKS, say); the sandbox key by default. */
  auth?: TokenSettings;
  /** Cost budgets by role (the gateway's default otherwise). */
  costBudgets?: Readonly<Record<string, number>>;
  /** Rate limits at the door (the gateway's defaults otherwise). */
  rateLimits?: RateLimitSettings;
  /** Origins whose browser apps may call the API (none by default). */
  corsOrigins?: string[];
  /** Load balancers whose X-Forwarded-For the gateway takes for the client's address (none by default). */
  trustedProxies?: string[];
  /** How long the door waits for headers and body (the gateway's defaults otherwise). */
  readTimeouts?: ReadTimeouts;
  /** The supergraph the gateway serves (the checked-in one by default). */
  supergraphPath?: string;
  /** How long the gateway waits for one subgraph call (its default otherwise). */
  subgraphTimeoutMs?: number;
  /** The gateway's own database (grants, audit); SQLite in the temporary folder by default. */
  gatewayDatabase?: DatabaseConfig;
  /** How often the gateways read grants again (100 ms unless given). */
  grantsReloadMs?: number;
  /** Where the gateway logs (silent by default). */
  gatewayLogger?: Logger;
  /** How long the gateway's stop() may take (its default otherwise). */
  shutdownTimeoutMs?: number;
  /** More environment for every service's configuration, as an operator would set it (OTEL_* for tracing, say). */
  env?: Record<string, string>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-test-'));
  const database = options.database ?? ((name: string): DatabaseConfig => ({ kind: 'sqlite', path: path.join(dataDir, `${name}.sqlite`) }));
  const county = await seedDatabases({ residents: options.residents ?? 2000, seed: options.seed ?? 7, asOf: DEFAULT_AS_OF }, database);
  const started = await Promise.all(
    DEPARTMENTS.map(async (department) =>
      (await loadDepartment(department)).start(
        {
          ...loadDepartmentConfig(department.name, { ...options.env, DATA_DIR: dataDir }),
          port: 0,
          database: database(department.name),
          logLevel: 'silent',
        },
        silent(),
      ),
    ),
  );
  const subgraphs: Record<string, RunningDepartment> = Object.fromEntries(started.map((subgraph) => [subgraph.name, subgraph]));
  // Each subgraph is reached through a recorder, so tests can see what it was sent.
  const recorders: Record<string, Recorder> = {};
  for (const subgraph of started) recorders[subgraph.name] = await startRecorder(subgraph.url);
  const defaults = loadGatewayConfig({ ...options.env, DATA_DIR: dataDir });
  const gatewayConfig = {
    ...defaults,
    strict: options.strict ?? false,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.gatewayDatabase ? { database: options.gatewayDatabase } : {}),
    ...(options.subgraphTimeoutMs ? { subgraphTimeoutMs: options.subgraphTimeoutMs } : {}),
    ...(options.shutdownTimeoutMs ? { shutdownTimeoutMs: options.shutdownTimeoutMs } : {}),
    ...(options.supergraphPath ? { supergraphPath: options.supergraphPath } : {}),
    ...(options.costBudgets ? { costBudgets: options.costBudgets } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.readTimeouts ? { readTimeouts: options.readTimeouts } : {}),
    ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    grantsReloadMs: options.grantsReloadMs ?? 100,
    port: 0,
    logLevel: 'silent' as const,
    subgraphs: defaults.subgraphs.map((subgraph) => ({ ...subgraph, url: recorders[subgraph.name]!.url })),
  };
  const startOptions = { seedGrants: options.grants ?? sandboxGrants(new Date(Date.now() - 86_400_000)) };
  const gatewayLogger = options.gatewayLogger ?? silent();
  let gateway = await startGateway(gatewayConfig, gatewayLogger, startOptions);
  const replicas: RunningGateway[] = [];
  const { privateKey } = loadSandboxSigningKey(dataDir);
  // The gateway's own ids of the requests a test sent with an X-Request-Id of its choosing.
  const gatewayIds = new Map<string, Set<string>>();
  const signingKey = loadGovernanceSigningKey(undefined, dataDir);
  const defaultCaller = { ...COUNTY_OFFICER, ...options.caller };
  const token = (identity: Partial<Identity> = {}, ttlSeconds = 3600) =>
    mintSandboxToken(privateKey, { ...defaultCaller, ...identity }, ttlSeconds);
  const stack: Stack = {
    county,
    gatewayUrl: gateway.url,
    subgraphs,
    dataSource: (department) => {
      const running = subgraphs[department] as RunningDepartment & { dataSource?: DataSource };
      if (!running?.dataSource) throw new Error(`${department} is not a department built on the kit`);
      return running.dataSource;
    },
    database,
    received: Object.fromEntries(Object.entries(recorders).map(([name, recorder]) => [name, recorder.requests])),
    breakProxy: (subgraph, fault) => recorders[subgraph]!.breakWith(fault),
    sentFor: (clientRequestId) => {
      const ids = gatewayIds.get(clientRequestId) ?? new Set();
      return Object.values(recorders)
        .flatMap((recorder) => recorder.requests)
        .filter((request) => ids.has(String(request.headers['x-request-id'])))
        .map((request) => request.body);
    },
    gateway,
    restartGateway: async () => {
      await gateway.stop();
      gateway = await startGateway(gatewayConfig, gatewayLogger, startOptions);
      stack.gateway = gateway;
      stack.gatewayUrl = gateway.url;
      return gateway;
    },
    startReplica: async (replica) => {
      // Its own anchor and spool, where the gateway's settings put a replica's.
      const { auditAnchorPath, auditSpoolPath } = loadGatewayConfig({ DATA_DIR: dataDir, GATEWAY_REPLICA: replica });
      const running = await startGateway({ ...gatewayConfig, replica, auditAnchorPath, auditSpoolPath }, gatewayLogger, startOptions);
      replicas.push(running);
      return running;
    },
    dataDir,
    query: async (query, variables, requestOptions = {}) => {
      const headers: Record<string, string> = { authorization: `Bearer ${await token(requestOptions.as)}`, ...requestOptions.headers };
      if (requestOptions.purpose !== null) headers['x-purpose'] = requestOptions.purpose ?? options.purpose ?? 'service';
      const result = await postGraphQL<never>(gateway.url, query, variables, headers);
      const clientRequestId = headers['x-request-id'];
      if (clientRequestId !== undefined && result.requestId) {
        gatewayIds.set(clientRequestId, (gatewayIds.get(clientRequestId) ?? new Set()).add(result.requestId));
      }
      return result;
    },
    post: async (body, requestOptions = {}) =>
      postGraphQL(
        gateway.url,
        '',
        undefined,
        {
          authorization: `Bearer ${await token(requestOptions.as)}`,
          'x-purpose': requestOptions.purpose ?? options.purpose ?? 'service',
        },
        JSON.stringify(body),
      ),
    token,
    signingKey,
    querySubgraphSigned: (url, query, variables, context = {}) => {
      const audience = Object.values(subgraphs).find((subgraph) => subgraph.url === url)?.name ?? 'unknown';
      const { sub, department, roles, areas } = COUNTY_OFFICER;
      const encoded = encodeContext({ sub, department, roles, areas, purpose: 'service', requestId: 'test-request', ...context });
      const body = JSON.stringify({ query, variables });
      return postGraphQL(url, query, variables, { ...signRequest(signingKey, audience, encoded, body) }, body);
    },
    statements: () => started.reduce((sum, subgraph) => sum + subgraph.statements.count, 0),
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.stop().catch(() => undefined)));
      await gateway.stop();
      await Promise.all(Object.values(recorders).map((recorder) => recorder.close()));
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop().catch(() => undefined)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
  body: string = JSON.stringify({ query, variables }),
): Promise<GraphQLResult<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const answer = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
  return { status: response.status, requestId: response.headers.get('x-request-id') ?? undefined, ...answer };
}
