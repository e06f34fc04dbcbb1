import 'reflect-metadata';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEPARTMENTS } from '../../common/departments';
import { gatewayKeyFile, handOutSubgraphKeys, loadGovernanceSigningKey, loadSecret } from '../../common/key-files';
import { loadGatewayConfig } from '../../gateway/config';
import { loadSandboxSigningKey } from '../../gateway/identity/sandbox-keys';
import type { RateLimitSettings } from '../../gateway/request/rate-limits';
import { DEFAULT_AS_OF, seedDatabases } from '../../synth/seed-databases';
import { freePort } from '../free-port';
import { formatLogLine } from '../log-format';
import { startPostgres, type Postgres } from '../postgres-server';
import { DEFAULT_RESIDENTS, DEFAULT_SEED } from '../seed';
import { serviceEnv } from '../service-env';
import { waitFor } from '../wait-for';
import { CHECK_INTERVAL_MS, CHECK_RISE, findHaproxy, haproxyConfig, serverStatus, type ServerState } from './haproxy';
import { distRunner, ManagedProcess, type Exit, type Runner } from './replica';

/**
 * A local cluster for tests and demos (`npm run cluster`, and
 * tests/integration/cluster.test.ts, which drives the same one): a throwaway
 * PostgreSQL with a database per department and one for the gateway, a
 * synthetic county seeded into the departments' databases, M replicas of
 * each subgraph and N gateway replicas on free ports, and HAProxy in front
 * of the gateways and of each department's replicas. Stopped in order:
 * gateways first (they drain, and commit their audit records), then the
 * subgraphs, HAProxy and PostgreSQL. docs/cluster.md says why it is built so.
 */

export interface ClusterOptions {
  /** Gateway replicas (default 2). */
  gateways?: number;
  /** Replicas of each department's subgraph (default 2). */
  replicas?: number;
  /** Residents of the synthetic county: 20,000 by default, the county of `npm start` and the README's examples. */
  residents?: number;
  seed?: number;
  /** HAProxy's port for clients; a free one when 0 or unset. */
  port?: number;
  /** The cluster's data folder (keys, anchors, spools, haproxy.cfg): new or empty; a temporary one by default. */
  dataDir?: string;
  /** Keep the data folder when the cluster stops (PostgreSQL's data goes in any case). */
  keep?: boolean;
  /** How a service entry is run: the build in dist/ by default. */
  runner?: Runner;
  /** The environment the services start from (process.env by default); the cluster sets what places and connects them. */
  env?: NodeJS.ProcessEnv;
  /** Each line the cluster's processes write, formatted, and the cluster's own messages. */
  log?: (line: string) => void;
  /** Given up while starting (Ctrl-C): whatever was started is killed, and the start fails. */
  abort?: AbortSignal;
}

export interface Replica {
  /** gateway-1, civil-affairs-2, …: its server's name in HAProxy and its label in the logs. */
  name: string;
  /** `gateway` or the department's name. */
  service: string;
  /** HAProxy's backend that holds it. */
  backend: string;
  port: number;
  process: ManagedProcess;
}

export interface Cluster {
  /** HAProxy's front, where clients connect: http://127.0.0.1:<port>. */
  url: string;
  port: number;
  statsUrl: string;
  dataDir: string;
  postgres: Postgres;
  /** The database of `name` (a department, or `gateway`). */
  databaseUrl(name: string): string;
  gateways: Replica[];
  /** Each department's replicas, by its name. */
  subgraphs: Record<string, Replica[]>;
  /** HAProxy's port in front of each department, by its name: the gateways' subgraph URLs. */
  departmentPorts: Record<string, number>;
  /** What each gateway replica is allowed, so that the whole cluster allows about the configured rates. */
  rateLimits: RateLimitSettings;
  /**
   * The environment for the scripts that read the gateway's configuration:
   * `npm run token`, and `npm run audit:verify` as one gateway replica (its
   * anchor and spool; the chain is one for all).
   */
  scriptEnv(replica?: Replica): NodeJS.ProcessEnv;
  /** Replicas that exited without being stopped. */
  unexpectedExits: { name: string; code: number | null; signal: NodeJS.Signals | null }[];
  /** Stops one replica: SIGTERM lets it finish (a gateway drains), SIGKILL does not. */
  stopReplica(replica: Replica, signal?: NodeJS.Signals): Promise<Exit>;
  /** Starts a stopped replica again, as it was (same name, port, files), and waits until HAProxy sends it requests. */
  startReplica(replica: Replica): Promise<void>;
  /** Resolves once HAProxy reports the replica UP. */
  waitInRotation(replica: Replica): Promise<void>;
  /** Every server as HAProxy sees it (its state, the requests in flight to it), by `backend/server`. */
  serverStatus(): Promise<Map<string, ServerState>>;
  /** Stops everything in order; the data folder goes unless kept. Idempotent. */
  stop(): Promise<void>;
  /** Kills every process at once, without waiting (for an exit handler). */
  killAll(): void;
}

/** A replica's start, from spawn to ready, on a busy two-core machine. */
const START_TIMEOUT_MS = 120_000;
/** How long a subgraph replica may take to stop before it is killed. */
const SUBGRAPH_STOP_MS = 15_000;

/** Variables the cluster sets itself; any value in the environment it starts from is dropped. */
const OWNED = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'GATEWAY_DATABASE_URL',
  'AUDIT_ANCHOR_PATH',
  'GATEWAY_REPLICA',
  'TRUSTED_PROXIES',
  'GOVERNANCE_SIGNING_KEY',
  'GOVERNANCE_VERIFY_KEYS',
  'AUDIT_CHAIN_KEY',
  'PSEUDONYM_KEY',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  ...DEPARTMENTS.flatMap((department) => [department.env.url, department.env.port, department.env.databaseUrl]),
];

/**
 * In the foreground HAProxy also prints to stderr what it logs (a server
 * going down or up, a backend left without servers): such lines are passed
 * on once, from its log.
 */
const HAPROXY_ECHO = /^\[(WARNING|NOTICE|ALERT)\]\s+\(\d+\) : (Server \S+ is (UP|DOWN)|backend '[^']+' has no server available)/;

/** A department's database in the cluster's PostgreSQL: its name with underscores. */
export const databaseName = (name: string): string => name.replaceAll('-', '_');

/**
 * Each replica counts rates on its own, and HAProxy spreads every caller's
 * requests over all of them in turn: a replica allows its share of the
 * configured rate, so that the cluster allows about that rate in all.
 */
export function perReplicaRateLimits(configured: RateLimitSettings, replicas: number): RateLimitSettings {
  const share = (value: number) => (value === 0 ? 0 : Math.max(1, Math.ceil(value / replicas)));
  return {
    perCaller: share(configured.perCaller),
    perAddress: share(configured.perAddress),
    callerConcurrency: share(configured.callerConcurrency),
    callerCostInFlight: share(configured.callerCostInFlight),
  };
}

/** The log's service column: wide enough for every replica's name (social-security-2). */
export function labelWidth(gateways: number, replicas: number): number {
  const names = [
    ...Array.from({ length: gateways }, (_, i) => `gateway-${i + 1}`),
    ...DEPARTMENTS.map((department) => `${department.name}-${replicas}`),
  ];
  return Math.max(...names.map((name) => name.length), 'cluster'.length) + 1;
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > 16) throw new Error(`${what} must be a whole number from 1 to 16`);
  return chosen;
}

function prepareDataDir(dataDir: string | undefined): string {
  if (!dataDir) return mkdtempSync(path.join(tmpdir(), 'govgraph-cluster-'));
  const dir = path.resolve(dataDir);
  // Keys and anchors of an earlier cluster would not match a new, empty PostgreSQL.
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`--data ${dir} is not empty: give a new or empty folder`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The sandbox's keys, made once before any service starts: every replica then reads the same files. */
function makeKeys(dataDir: string): void {
  const signing = loadGovernanceSigningKey(undefined, dataDir);
  handOutSubgraphKeys(signing, dataDir, DEPARTMENTS);
  loadSecret('AUDIT_CHAIN_KEY', undefined, gatewayKeyFile(dataDir, 'audit-chain.key'));
  loadSecret('PSEUDONYM_KEY', undefined, gatewayKeyFile(dataDir, 'pseudonym.key'));
  loadSandboxSigningKey(dataDir);
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const gatewayCount = positive(options.gateways, 2, '--gateways');
  const replicaCount = positive(options.replicas, 2, '--replicas');
  const residents = options.residents ?? DEFAULT_RESIDENTS;
  const runner = options.runner ?? distRunner;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const baseEnv = Object.fromEntries(Object.entries(options.env ?? process.env).filter(([key]) => !OWNED.includes(key)));
  // The gateways' settings as the environment gives them (a bad one stops here, naming it).
  const gatewaySettings = loadGatewayConfig(baseEnv);
  const rateLimits = perReplicaRateLimits(gatewaySettings.rateLimits, gatewayCount);

  const width = labelWidth(gatewayCount, replicaCount);
  const say = (message: string) =>
    log(formatLogLine(JSON.stringify({ level: 30, time: new Date().toISOString(), msg: message }), 'cluster', { width }));

  const dataDir = prepareDataDir(options.dataDir);
  const processes: ManagedProcess[] = [];
  const unexpectedExits: Cluster['unexpectedExits'] = [];
  let postgres: Postgres | undefined;
  let stopping: Promise<void> | undefined;
  let ready = false;
  const gateways: Replica[] = [];
  const subgraphs: Record<string, Replica[]> = {};
  let haproxy: ManagedProcess | undefined;

  const stop = () =>
    (stopping ??= (async () => {
      const stopAll = (replicas: Replica[], killAfterMs: number) =>
        Promise.all(replicas.map((replica) => replica.process.stop('SIGTERM', killAfterMs)));
      // Gateways first: they answer what they have in flight (through HAProxy, from the subgraphs) and commit its records.
      await stopAll(gateways, gatewaySettings.shutdownTimeoutMs + 5_000);
      await stopAll(Object.values(subgraphs).flat(), SUBGRAPH_STOP_MS);
      await haproxy?.stop('SIGTERM', 5_000);
      await postgres?.stop();
      if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    })());
  const killAll = () => {
    for (const process of processes) process.kill();
  };

  const managed = (name: string, service: string, command: string, args: string[], env: NodeJS.ProcessEnv) => {
    const process = new ManagedProcess({
      name,
      service,
      command,
      args,
      env,
      output: (line, stream) => {
        if (stream === 'stderr' && service === 'haproxy' && HAPROXY_ECHO.test(line)) return;
        log(formatLogLine(line, service, { label: name, width }));
      },
      onUnexpectedExit: (_process, code, signal) => {
        unexpectedExits.push({ name, code, signal });
        if (!stopping) say(`${name} exited (${signal ?? `code ${code}`})${ready ? '; HAProxy sends its share to the others' : ''}`);
      },
    });
    processes.push(process);
    return process;
  };

  const check = () => {
    if (options.abort?.aborted) throw new Error('the start was given up');
  };
  options.abort?.addEventListener('abort', killAll, { once: true });
  try {
    check();
    const databases = [...DEPARTMENTS.map((department) => department.name), 'gateway'].map(databaseName);
    // Every replica keeps pools of its own: a gateway 10 connections, a subgraph 10 and 4 for its nonce ledger.
    const maxConnections = Math.max(100, 30 + gatewayCount * 20 + DEPARTMENTS.length * replicaCount * 16);
    postgres = await startPostgres({ maxConnections });
    for (const database of databases) await postgres.createDatabase(database);
    const pg = postgres;
    const databaseUrl = (name: string) => pg.url(databaseName(name));
    say(`PostgreSQL on port ${pg.port}: databases ${databases.join(', ')}; seeding ${residents} residents`);
    const county = await seedDatabases({ residents, seed: options.seed ?? DEFAULT_SEED, asOf: DEFAULT_AS_OF }, (department) => ({
      kind: 'postgres',
      url: databaseUrl(department),
    }));
    say(`seeded ${county.residents.length} residents, ${county.petitions.length} petitions, ${county.cells.length} grid cells`);
    check();
    makeKeys(dataDir);

    // Ports: one HAProxy front per department (the gateways' subgraph URLs), one per replica; HAProxy's own below.
    const departmentPorts: Record<string, number> = {};
    for (const department of DEPARTMENTS) departmentPorts[department.name] = await freePort();

    for (const department of DEPARTMENTS) {
      subgraphs[department.name] = [];
      for (let i = 1; i <= replicaCount; i += 1) {
        const name = `${department.name}-${i}`;
        const port = await freePort();
        const env = serviceEnv(
          department.name,
          {
            ...baseEnv,
            DATA_DIR: dataDir,
            HOST: '127.0.0.1',
            [department.env.port]: String(port),
            [department.env.databaseUrl]: databaseUrl(department.name),
          },
          DEPARTMENTS,
        );
        const process = managed(name, department.name, globalThis.process.execPath, runner(`${department.folder}/main`), env);
        subgraphs[department.name]!.push({ name, service: department.name, backend: department.name, port, process });
      }
    }
    const subgraphUrls = Object.fromEntries(
      DEPARTMENTS.map((department) => [department.env.url, `http://127.0.0.1:${departmentPorts[department.name]}/graphql`]),
    );
    for (let i = 1; i <= gatewayCount; i += 1) {
      const name = `gateway-${i}`;
      const port = await freePort();
      const env = serviceEnv(
        'gateway',
        {
          ...baseEnv,
          DATA_DIR: dataDir,
          HOST: '127.0.0.1',
          PORT: String(port),
          GATEWAY_DATABASE_URL: databaseUrl('gateway'),
          // Its own anchor and spool in the shared data folder: audit-anchor.gateway-1.json, audit-spool.gateway-1.jsonl.
          GATEWAY_REPLICA: name,
          ...subgraphUrls,
          TRUSTED_PROXIES: '127.0.0.1',
          RATE_LIMIT_PER_CALLER: String(rateLimits.perCaller),
          RATE_LIMIT_PER_ADDRESS: String(rateLimits.perAddress),
          CALLER_CONCURRENCY: String(rateLimits.callerConcurrency),
          CALLER_COST_IN_FLIGHT: String(rateLimits.callerCostInFlight),
        },
        DEPARTMENTS,
      );
      const process = managed(name, 'gateway', globalThis.process.execPath, runner('gateway/main'), env);
      gateways.push({ name, service: 'gateway', backend: 'gateways', port, process });
    }

    const allSubgraphs = Object.values(subgraphs).flat();
    check();
    for (const replica of allSubgraphs) replica.process.start();
    await Promise.all(allSubgraphs.map((replica) => replica.process.waitHealthy(replica.port, START_TIMEOUT_MS)));
    say(`${allSubgraphs.length} subgraph replicas ready; starting ${gatewayCount} gateway replicas`);
    check();
    for (const replica of gateways) replica.process.start();
    await Promise.all(gateways.map((replica) => replica.process.waitHealthy(replica.port, START_TIMEOUT_MS)));

    const frontPort = options.port || (await freePort());
    const statsPort = await freePort();
    const socket = path.join(dataDir, 'haproxy.sock');
    const configFile = path.join(dataDir, 'haproxy.cfg');
    writeFileSync(
      configFile,
      haproxyConfig({
        frontPort,
        statsPort,
        socket,
        gateways: gateways.map(({ name, port }) => ({ name, port })),
        departments: DEPARTMENTS.map((department) => ({
          name: department.name,
          frontPort: departmentPorts[department.name]!,
          replicas: subgraphs[department.name]!.map(({ name, port }) => ({ name, port })),
        })),
        subgraphTimeoutMs: gatewaySettings.subgraphTimeoutMs,
        shutdownTimeoutMs: gatewaySettings.shutdownTimeoutMs,
      }),
      { mode: 0o600 },
    );
    // Last, in the foreground (-db), a child like the others: every server it is given is up, none starts out DOWN.
    haproxy = managed('haproxy', 'haproxy', findHaproxy(baseEnv), ['-db', '-f', configFile], baseEnv);
    haproxy.start();
    await waitFor(() => existsSync(socket) || !haproxy!.running, { what: 'HAProxy to start', timeoutMs: 10_000, intervalMs: 50 });
    if (!haproxy.running) throw new Error('HAProxy exited at start (its lines above say why)');

    const status = () => serverStatus(socket);
    const waitInRotation = async (replica: Replica) => {
      await waitFor(async () => (await status()).get(`${replica.backend}/${replica.name}`)?.status === 'UP', {
        what: `HAProxy to send ${replica.name} requests`,
        timeoutMs: 10_000 + CHECK_INTERVAL_MS * CHECK_RISE * 4,
        intervalMs: 100,
      });
    };
    await Promise.all([...allSubgraphs, ...gateways].map(waitInRotation));
    check();
    const url = `http://127.0.0.1:${frontPort}`;
    await waitFor(
      async () => {
        const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
        await response.body?.cancel();
        return response.ok;
      },
      { what: `HAProxy's front ${url}/readyz`, timeoutMs: 10_000, intervalMs: 100 },
    );

    check();
    options.abort?.removeEventListener('abort', killAll);
    ready = true;
    return {
      url,
      port: frontPort,
      statsUrl: `http://127.0.0.1:${statsPort}/`,
      dataDir,
      postgres: pg,
      databaseUrl,
      gateways,
      subgraphs,
      departmentPorts,
      rateLimits,
      scriptEnv: (replica) => ({
        ...baseEnv,
        DATA_DIR: dataDir,
        GATEWAY_DATABASE_URL: databaseUrl('gateway'),
        ...(replica ? { GATEWAY_REPLICA: replica.name } : {}),
      }),
      unexpectedExits,
      stopReplica: (replica, signal = 'SIGTERM') =>
        replica.process.stop(signal, replica.service === 'gateway' ? gatewaySettings.shutdownTimeoutMs + 5_000 : SUBGRAPH_STOP_MS),
      startReplica: async (replica) => {
        replica.process.start();
        await replica.process.waitHealthy(replica.port, START_TIMEOUT_MS);
        await waitInRotation(replica);
      },
      waitInRotation,
      serverStatus: status,
      stop,
      killAll,
    };
  } catch (error) {
    options.abort?.removeEventListener('abort', killAll);
    killAll();
    await stop().catch(() => undefined);
    throw error;
  }
}
