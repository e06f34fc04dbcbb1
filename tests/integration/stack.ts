import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../common/logger';
import { loadGatewayConfig } from '../../gateway/config';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { civilAffairs } from '../../subgraphs/civil-affairs/server';
import { grid } from '../../subgraphs/grid/server';
import type { DatabaseConfig } from '../../subgraphs/kit/config';
import { startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '../../subgraphs/kit/subgraph';
import { petitions } from '../../subgraphs/petitions/server';
import type { County } from '../../synth/county';
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
  gateway: RunningGateway;
  dataDir: string;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  /** SQL statements sent by all three subgraphs so far. */
  statements(): number;
  stop(): Promise<void>;
}

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
      { service: definition.name, port: 0, host: '127.0.0.1', database: database(definition.name), logLevel: 'silent' },
      silent(),
    );
  const [ca, pe, gr] = await Promise.all([start(civilAffairs), start(petitions), start(grid)]);
  const gatewayConfig = {
    ...loadGatewayConfig({}),
    port: 0,
    logLevel: 'silent' as const,
    subgraphs: [
      { name: 'civil-affairs', url: ca.url },
      { name: 'petitions', url: pe.url },
      { name: 'grid', url: gr.url },
    ],
  };
  const gateway = await startGateway(gatewayConfig, silent());
  const subgraphs = { 'civil-affairs': ca, petitions: pe, grid: gr };
  return {
    county,
    gatewayUrl: gateway.url,
    subgraphs,
    gateway,
    dataDir,
    query: (query, variables) => postGraphQL(gateway.url, query, variables),
    statements: () => ca.statements.count + pe.statements.count + gr.statements.count,
    stop: async () => {
      await gateway.stop();
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop().catch(() => undefined)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
  return { status: response.status, ...body };
}
