import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeContext, signRequest, type GovernanceContext } from '../../common/governance-context';
import { loadSigningKey } from '../../common/key-files';
import { createLogger } from '../../common/logger';
import type { Identity } from '../../gateway/identity/identity';
import type { TokenSettings } from '../../gateway/identity/token-verifier';
import { loadSandboxSigningKey, mintSandboxToken } from '../../gateway/identity/sandbox-keys';
import { loadGatewayConfig } from '../../gateway/config';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { civilAffairs } from '../../subgraphs/civil-affairs/server';
import { grid } from '../../subgraphs/grid/server';
import type { DatabaseConfig } from '../../subgraphs/kit/config';
import { startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '../../subgraphs/kit/subgraph';
import { petitions } from '../../subgraphs/petitions/server';
import type { County } from '../../synth/county';
import { sandboxGrants } from '../../gateway/access/grants';
import type { Grant } from '../../gateway/access/policy';
import { startRecorder, type ProxyFault, type RecordedRequest } from './recorder';
import { DEFAULT_AS_OF, seedDatabases } from '../../synth/seed-databases';

/**
 * The whole sandbox for one test file: three real subgraphs on their own
 * SQLite files in a fresh temporary folder, and the real gateway, all on free
 * ports. Nothing is mocked.
 */
export interface Stack {
  county: County;
  gatewayUrl: string;
  subgraphs: Record<'civil-affairs' | 'petitions' | 'grid', RunningSubgraph>;
  /** Every request each subgraph received from the gateway, as sent. */
  received: Record<'civil-affairs' | 'petitions' | 'grid', RecordedRequest[]>;
  /** Makes the pass-through in front of one subgraph answer as a failing proxy would; `undefined` mends it. */
  breakProxy(subgraph: 'civil-affairs' | 'petitions' | 'grid', fault: ProxyFault | undefined): void;
  /** The bodies the subgraphs received for one request id (set with an x-request-id header). */
  sentFor(requestId: string): string[];
  gateway: RunningGateway;
  dataDir: string;
  /** POST to the gateway as `as` (default: the stack's caller) for `purpose` (default: the stack's purpose, else `service`). */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResult<T>>;
  /** POST a raw request body to the gateway as the stack's caller. */
  post<T = Record<string, unknown>>(body: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResult<T>>;
  /** A sandbox token for `identity`, as `npm run token` would mint it. */
  token(identity?: Partial<Identity>, ttlSeconds?: number): Promise<string>;
  /** POST straight to a subgraph with the gateway's signature over `context`. */
  querySubgraphSigned<T = Record<string, unknown>>(url: string, query: string, variables?: Record<string, unknown>, context?: Partial<GovernanceContext>): Promise<GraphQLResult<T>>;
  signingKey: Buffer;
  /** SQL statements sent by all three subgraphs so far. */
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
 * A grant for tests that need one caller to read across all three
 * departments in one request: civil affairs, for supervision, may see the
 * other departments' CONDITIONAL fields of a resident.
 */
export const SUPERVISION_GRANT: Grant = {
  id: 'TEST-SUPERVISION',
  consumer: 'civil-affairs',
  fields: ['Resident.petitions', 'Resident.careLevel', 'Resident.visits', 'Visit.id', 'Visit.visitedAt', 'Petition.subject'],
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
  /** Grants in force (default: the sandbox's G1–G4). */
  grants?: Grant[];
  strict?: boolean;
  /** Token settings for the gateway (a JWKS, say); the sandbox key by default. */
  auth?: TokenSettings;
  /** The gateway's own database (grants, audit); SQLite in the temporary folder by default. */
  gatewayDatabase?: DatabaseConfig;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-test-'));
  const database = options.database ?? ((name: string): DatabaseConfig => ({ kind: 'sqlite', path: path.join(dataDir, `${name}.sqlite`) }));
  const county = await seedDatabases(
    { residents: options.residents ?? 2000, seed: options.seed ?? 7, asOf: DEFAULT_AS_OF },
    { civilAffairs: database('civil-affairs'), petitions: database('petitions'), grid: database('grid') },
  );
  const start = <L, S>(definition: SubgraphDefinition<L, S>) =>
    startSubgraph(
      definition,
      { service: definition.name, port: 0, host: '127.0.0.1', database: database(definition.name), logLevel: 'silent', dataDir, signingKey: undefined },
      silent(),
    );
  const [ca, pe, gr] = await Promise.all([start(civilAffairs), start(petitions), start(grid)]);
  // Each subgraph is reached through a recorder, so tests can see what it was sent.
  const recorders = { 'civil-affairs': await startRecorder(ca.url), petitions: await startRecorder(pe.url), grid: await startRecorder(gr.url) };
  const gatewayConfig = {
    ...loadGatewayConfig({ DATA_DIR: dataDir }),
    strict: options.strict ?? false,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.gatewayDatabase ? { database: options.gatewayDatabase } : {}),
    grantsReloadMs: 100,
    port: 0,
    logLevel: 'silent' as const,
    subgraphs: [
      { name: 'civil-affairs', url: recorders['civil-affairs'].url },
      { name: 'petitions', url: recorders.petitions.url },
      { name: 'grid', url: recorders.grid.url },
    ],
  };
  const gateway = await startGateway(gatewayConfig, silent(), { seedGrants: options.grants ?? sandboxGrants(new Date(Date.now() - 86_400_000)) });
  const subgraphs = { 'civil-affairs': ca, petitions: pe, grid: gr };
  const { privateKey } = loadSandboxSigningKey(dataDir);
  const signingKey = loadSigningKey(undefined, dataDir);
  const defaultCaller = { ...COUNTY_OFFICER, ...options.caller };
  const token = (identity: Partial<Identity> = {}, ttlSeconds = 3600) => mintSandboxToken(privateKey, { ...defaultCaller, ...identity }, ttlSeconds);
  return {
    county,
    gatewayUrl: gateway.url,
    subgraphs,
    received: { 'civil-affairs': recorders['civil-affairs'].requests, petitions: recorders.petitions.requests, grid: recorders.grid.requests },
    breakProxy: (subgraph, fault) => recorders[subgraph].breakWith(fault),
    sentFor: (requestId) =>
      Object.values(recorders)
        .flatMap((recorder) => recorder.requests)
        .filter((request) => request.headers['x-request-id'] === requestId)
        .map((request) => request.body),
    gateway,
    dataDir,
    query: async (query, variables, requestOptions = {}) => {
      const headers: Record<string, string> = { authorization: `Bearer ${await token(requestOptions.as)}`, ...requestOptions.headers };
      if (requestOptions.purpose !== null) headers['x-purpose'] = requestOptions.purpose ?? options.purpose ?? 'service';
      return postGraphQL(gateway.url, query, variables, headers);
    },
    post: async (body, requestOptions = {}) =>
      postGraphQL(gateway.url, '', undefined, {
        authorization: `Bearer ${await token(requestOptions.as)}`,
        'x-purpose': requestOptions.purpose ?? options.purpose ?? 'service',
      }, JSON.stringify(body)),
    token,
    signingKey,
    querySubgraphSigned: (url, query, variables, context = {}) => {
      const audience = Object.values(subgraphs).find((subgraph) => subgraph.url === url)?.name ?? 'unknown';
      const { sub, department, roles, areas } = COUNTY_OFFICER;
      const encoded = encodeContext({ sub, department, roles, areas, purpose: 'service', requestId: 'test-request', ...context });
      const body = JSON.stringify({ query, variables });
      return postGraphQL(url, query, variables, { ...signRequest(signingKey, audience, encoded, body) }, body);
    },
    statements: () => ca.statements.count + pe.statements.count + gr.statements.count,
    stop: async () => {
      await gateway.stop();
      await Promise.all(Object.values(recorders).map((recorder) => recorder.close()));
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop().catch(() => undefined)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
  return { status: response.status, ...answer };
}
