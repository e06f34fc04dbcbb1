import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../common/project-root';

export interface BenchOptions {
  quick: boolean;
  residents: number;
  seed: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Length of one measuring window, per target. */
  seconds: number;
  warmupSeconds: number;
  /** Unmeasured load on a target right before each of its windows. */
  windowWarmupSeconds: number;
  rounds: number;
  /** Profile govgraph and the plain gateway (node --cpu-prof), for a side-by-side look. */
  cpuProf: boolean;
  profileDir: string;
  /** Keep the run's folder (databases, logs) for a look afterwards. */
  keep: boolean;
  /** The plain gateway's subgraph client: govgraph's pool, or Apollo's data source with Node's fetch. */
  plainClient: 'pool' | 'fetch';
}

const USAGE = `usage: npm run bench -- [--quick] [--residents N] [--connections C] [--seconds S] [--rounds R] [--plain-client pool|fetch] [--cpu-prof] [--keep]
  --quick        2 rounds of 4 s windows (about 2 minutes), for development
  --residents    county size, default 300000 (seeded once, cached under data/bench)
  --connections  concurrent connections, default 16
  --seconds      measuring window per target and round, default 10
  --rounds       rounds of alternating windows, default 5
  --plain-client the plain gateway's subgraph client: pool (govgraph's, the default) or fetch
                 (Apollo's own data source with Node's fetch)
  --cpu-prof     write CPU profiles of govgraph and the plain gateway to data/bench/profiles
  --keep         keep the run folder (databases and service logs)`;

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}\n${USAGE}`);
  return value;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      residents: { type: 'string' },
      seed: { type: 'string' },
      connections: { type: 'string' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      'plain-client': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const plainClient = values['plain-client'] ?? 'pool';
  if (plainClient !== 'pool' && plainClient !== 'fetch') throw new Error(`--plain-client must be pool or fetch\n${USAGE}`);
  return {
    quick,
    residents: integer('residents', values.residents, 300_000, 1_000, 5_000_000),
    seed: integer('seed', values.seed, 1, 0, 0xffffffff),
    connections: integer('connections', values.connections, 16, 1, 1_000),
    seconds: integer('seconds', values.seconds, quick ? 4 : 10, 1, 600),
    warmupSeconds: quick ? 2 : 10,
    windowWarmupSeconds: quick ? 2 : 3,
    rounds: integer('rounds', values.rounds, quick ? 2 : 5, 1, 50),
    cpuProf: values['cpu-prof'] ?? false,
    profileDir: path.join(projectRoot(), 'data', 'bench', 'profiles'),
    keep: values.keep ?? false,
    plainClient,
  };
}
