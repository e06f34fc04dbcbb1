import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DEPARTMENTS } from '../common/departments';
import { isPortFree } from './free-port';
import { formatLogLine } from './log-format';
import { labelWidth, startCluster, type Cluster } from './cluster/cluster';
import { DEFAULT_RESIDENTS } from './seed';

/**
 * `npm run cluster`: a local cluster for demos and tests (docs/cluster.md):
 * a throwaway PostgreSQL, N gateway replicas and M replicas of each subgraph
 * behind HAProxy; prints where everything is, and stops it all on Ctrl-C,
 * the gateways first so that they drain.
 */
const USAGE =
  'usage: npm run cluster -- [--gateways N] [--replicas M] [--residents K] [--port P] [--data DIR] [--keep]\n' +
  '  --gateways  gateway replicas (default 2)\n' +
  '  --replicas  replicas of each subgraph (default 2)\n' +
  `  --residents the synthetic county's size (default ${DEFAULT_RESIDENTS}, as npm start's: the README's examples work)\n` +
  '  --port      HAProxy’s port for clients (default 4000, or a free one if 4000 is taken; 0: a free one)\n' +
  '  --data      the data folder (keys, anchors, haproxy.cfg): new or empty (default: a temporary folder)\n' +
  '  --keep      keep the data folder when stopping (PostgreSQL is thrown away in any case)';

let width = labelWidth(2, 2);

function say(message: string): void {
  process.stdout.write(
    `${formatLogLine(JSON.stringify({ level: 30, time: new Date().toISOString(), msg: message }), 'cluster', { width })}\n`,
  );
}

function whole(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}\n${USAGE}`);
  return value;
}

async function frontPort(asked: number | undefined): Promise<number> {
  if (asked !== undefined) return asked;
  // npm start's gateway may hold 4000: then any free port, said below.
  return (await isPortFree(4000)) ? 4000 : 0;
}

/** Where everything is, and how to use it. */
function describe(cluster: Cluster): string[] {
  const base = `http://localhost:${cluster.port}`;
  const env = `DATA_DIR=${cluster.dataDir}`;
  const ports = (replicas: Cluster['gateways']) => replicas.map((replica) => `${replica.name} :${replica.port}`).join(', ');
  const limits = cluster.rateLimits;
  const n = cluster.gateways.length;
  return [
    `ready: ${base}/graphql (API and IDE) · ${base}/console (stewards' console) · ${base}/readyz`,
    `HAProxy statistics: ${cluster.statsUrl}`,
    `gateways behind ${base}: ${ports(cluster.gateways)}`,
    `rate limits are per replica: each allows ${limits.perCaller}/s per caller and ${limits.perAddress}/s per address, ` +
      `so the cluster about ${limits.perCaller * n}/s and ${limits.perAddress * n}/s (RATE_LIMIT_PER_CALLER, RATE_LIMIT_PER_ADDRESS)`,
    ...DEPARTMENTS.map(
      (department) =>
        `${department.name} behind HAProxy :${cluster.departmentPorts[department.name]}: ${ports(cluster.subgraphs[department.name]!)}`,
    ),
    `PostgreSQL: ${cluster.databaseUrl('gateway')} (and a database per department)`,
    `a token: ${env} npm run -s token -- --sub me --department civil-affairs --roles officer --areas 610921`,
    `the trail, with one replica's anchor and spool: ${env} GATEWAY_DATABASE_URL=${cluster.databaseUrl('gateway')} GATEWAY_REPLICA=${cluster.gateways[0]!.name} npm run audit:verify`,
    'Ctrl-C stops everything (the gateways drain first)',
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      gateways: { type: 'string' },
      replicas: { type: 'string' },
      residents: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = {
    gateways: whole(values.gateways, 'gateways', 1, 16),
    replicas: whole(values.replicas, 'replicas', 1, 16),
    residents: whole(values.residents, 'residents', 1, 5_000_000),
    port: await frontPort(whole(values.port, 'port', 0, 65535)),
    dataDir: values.data,
    keep: values.keep ?? false,
  };
  width = labelWidth(options.gateways ?? 2, options.replicas ?? 2);
  let cluster: Cluster | undefined;
  let stopping = false;
  const abort = new AbortController();
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // While starting: what was started is killed, and the start fails (below).
    if (!cluster) return abort.abort();
    say('stopping: gateways first, then subgraphs, HAProxy and PostgreSQL');
    await cluster?.stop();
    say(options.keep && cluster ? `stopped; the data folder is kept: ${cluster.dataDir}` : 'stopped');
    process.exit(code);
  };
  // Signals come here alone (every child runs in a process group of its own), so the order above holds.
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // Whatever happens to this process, no replica outlives it.
  process.on('exit', () => cluster?.killAll());
  try {
    cluster = await startCluster({ ...options, abort: abort.signal });
  } catch (error) {
    if (stopping) {
      say('stopped while starting');
      process.exit(0);
    }
    throw error;
  }
  for (const line of describe(cluster)) say(line);
}

main().catch((error: unknown) => {
  say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
