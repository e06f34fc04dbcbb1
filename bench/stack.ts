import { randomBytes } from 'node:crypto';
import { keyIdOf, subgraphKey } from '../common/governance-context';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DEPARTMENTS } from '../common/departments';
import { projectRoot } from '../common/project-root';
import type { BenchOptions } from './options';
import { answersGraphQL, freePort, startService, stopService, waitUntilReady, type Service } from './processes';

/**
 * The services one benchmark run measures, each its own process: every
 * department's subgraph (signed listener for govgraph, unsigned one for the
 * others), govgraph, the plain Apollo gateway and Hive Gateway.
 */
const ROOT = projectRoot();
export const DIST = path.join(ROOT, 'dist');

export interface RunningSubgraphService {
  name: string;
  service: Service;
  signedUrl: string;
  unsignedUrl: string;
}

export interface Stack {
  subgraphs: RunningSubgraphService[];
  governed: Service & { url: string; dataDir: string };
  plain: Service & { url: string };
  hive: Service & { url: string };
}

interface Launch {
  runDir: string;
  logDir: string;
  /** The environment every service starts from: log level and the shared signing key. */
  base: NodeJS.ProcessEnv;
  /** The governance master key of this run. */
  master: Buffer;
  profileFlags(name: string): string[];
}

const graphqlUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;
const readyz = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;

function startSubgraphs(launch: Launch): Promise<RunningSubgraphService[]> {
  return Promise.all(
    DEPARTMENTS.map(async (department) => {
      const [signed, unsigned] = [await freePort(), await freePort()];
      const service = startService({
        name: department.name,
        entry: path.join(DIST, 'bench', 'subgraph.js'),
        args: [department.name, String(unsigned)],
        env: {
          ...launch.base,
          DATA_DIR: launch.runDir,
          [department.env.port]: String(signed),
          GOVERNANCE_VERIFY_KEYS: `${keyIdOf(launch.master)}:${subgraphKey(launch.master, department.name).toString('base64')}`,
        },
        logDir: launch.logDir,
      });
      await waitUntilReady(service, readyz(signed));
      return { name: department.name, service, signedUrl: graphqlUrl(signed), unsignedUrl: graphqlUrl(unsigned) };
    }),
  );
}

async function startGoverned(launch: Launch, subgraphs: RunningSubgraphService[]): Promise<Stack['governed']> {
  const dataDir = path.join(launch.runDir, 'gateway');
  const port = await freePort();
  const subgraphUrls = Object.fromEntries(DEPARTMENTS.map((department, i) => [department.env.url, subgraphs[i]!.signedUrl]));
  const service = startService({
    name: 'governed',
    entry: path.join(DIST, 'gateway', 'main.js'),
    env: {
      ...launch.base,
      PORT: String(port),
      DATA_DIR: dataDir,
      GOVERNANCE_SIGNING_KEY: launch.master.toString('base64'),
      // Checked on every request, as in production, but set far above the load so that none is refused for its rate.
      RATE_LIMIT_PER_CALLER: '1000000',
      RATE_LIMIT_PER_ADDRESS: '1000000',
      CALLER_CONCURRENCY: '100000',
      CALLER_COST_IN_FLIGHT: '100000000',
      ...subgraphUrls,
    },
    execArgv: launch.profileFlags('governed'),
    logDir: launch.logDir,
  });
  return { ...service, url: graphqlUrl(port), dataDir };
}

async function startPeer(launch: Launch, name: 'plain' | 'hive', env: NodeJS.ProcessEnv): Promise<Service & { url: string }> {
  const port = await freePort();
  const service = startService({
    name,
    entry: path.join(DIST, 'bench', `${name}-gateway.js`),
    env: { ...launch.base, ...env, PORT: String(port) },
    execArgv: name === 'plain' ? launch.profileFlags(name) : [],
    logDir: launch.logDir,
  });
  return { ...service, url: graphqlUrl(port) };
}

export async function startStack(runDir: string, options: BenchOptions): Promise<Stack> {
  const logDir = path.join(runDir, 'logs');
  await mkdir(logDir, { recursive: true });
  // govgraph and the plain gateway are profiled side by side, so the difference is governance.
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  // A master key for this run: the gateway gets it, each subgraph only its own key derived from it.
  const master = randomBytes(32);
  const launch: Launch = {
    runDir,
    logDir,
    master,
    base: { ...process.env, LOG_LEVEL: 'warn' },
    profileFlags: (name) =>
      options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${name}-${stamp}.cpuprofile`] : [],
  };
  const subgraphs = await startSubgraphs(launch);
  const governed = await startGoverned(launch, subgraphs);
  const peerEnv = {
    SUPERGRAPH_PATH: path.join(ROOT, 'schema', 'supergraph.graphql'),
    BENCH_SUBGRAPH_URLS: JSON.stringify(Object.fromEntries(subgraphs.map((s) => [s.name, s.unsignedUrl]))),
    PLAIN_CLIENT: options.plainClient,
  };
  const [plain, hive] = [await startPeer(launch, 'plain', peerEnv), await startPeer(launch, 'hive', peerEnv)];
  await waitUntilReady(governed, readyz(Number(new URL(governed.url).port)));
  await waitUntilReady(plain, () => answersGraphQL(plain.url));
  await waitUntilReady(hive, () => answersGraphQL(hive.url));
  return { subgraphs, governed, plain, hive };
}

export async function stopStack(stack: Stack): Promise<void> {
  await Promise.all([stack.governed, stack.plain, stack.hive].map(stopService));
  await Promise.all(stack.subgraphs.map((subgraph) => stopService(subgraph.service)));
}
