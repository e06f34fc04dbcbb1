import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadGatewayConfig } from '../gateway/config';
import { formatLogLine } from './log-format';
import { DEPARTMENTS } from '../common/departments';
import { DEFAULT_RESIDENTS, DEFAULT_SEED, departmentDatabase } from './seed';
import { serviceEnv } from './service-env';
import { DEFAULT_AS_OF, seedDatabases } from '../synth/seed-databases';

/**
 * `npm start`: seeds the embedded databases on first run, starts every
 * department's subgraph and the gateway as child processes, merges their logs
 * into one readable stream and stops them all on Ctrl-C.
 */
const SERVICES = [
  ...DEPARTMENTS.map((department) => ({ name: department.name, entry: `${department.folder}/main.js` })),
  { name: 'gateway', entry: 'gateway/main.js' },
];

const children = new Map<string, ChildProcess>();
let stopping = false;

function say(message: string): void {
  process.stdout.write(
    `${formatLogLine(JSON.stringify({ level: 30, time: new Date().toISOString(), service: 'govgraph', msg: message }), 'govgraph')}\n`,
  );
}

async function seedIfEmpty(): Promise<void> {
  const databases = DEPARTMENTS.map((department) => departmentDatabase(department.name));
  const sqliteFiles = databases.flatMap((db) => (db.kind === 'sqlite' ? [db.path] : []));
  // Seeding is for the embedded databases only: a department on PostgreSQL is the operator's to fill.
  if (sqliteFiles.length < databases.length || sqliteFiles.every(existsSync)) return;
  say(`first run: seeding ${DEFAULT_RESIDENTS} synthetic residents into ${path.dirname(sqliteFiles[0]!)}`);
  const county = await seedDatabases({ residents: DEFAULT_RESIDENTS, seed: DEFAULT_SEED, asOf: DEFAULT_AS_OF }, departmentDatabase);
  say(`seeded ${county.residents.length} residents, ${county.petitions.length} petitions, ${county.cells.length} grid cells`);
}

function startService(name: string, entry: string): ChildProcess {
  const child = fork(path.join(__dirname, '..', entry), [], {
    env: serviceEnv(name, process.env, DEPARTMENTS),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${formatLogLine(line, name)}\n`));
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`${name} exited (${signal ?? `code ${code}`}); stopping everything`);
      void stopAll(1);
    }
  });
  children.set(name, child);
  return child;
}

/** How long a service may take to stop before it is killed: past the gateway's own deadline, which it keeps. */
function killAfterMs(): number {
  try {
    return loadGatewayConfig().shutdownTimeoutMs + 5_000;
  } catch {
    // A bad setting stopped the gateway at start already, naming it.
    return 25_000;
  }
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const killAfter = killAfterMs();
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), killAfter);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
  say('stopped');
  process.exit(exitCode);
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  await seedIfEmpty();
  if (process.env.GOVERNANCE_VERIFY_KEYS)
    say('GOVERNANCE_VERIFY_KEYS names one subgraph’s keys: ignored here, each subgraph reads its key folder');
  for (const service of SERVICES) startService(service.name, service.entry);
  const gateway = loadGatewayConfig();
  const base = `http://localhost:${gateway.port}`;
  if (await waitUntilReady(`http://127.0.0.1:${gateway.port}/readyz`, 60_000)) {
    say(`ready: ${base}/graphql (API and in-browser IDE) · ${base}/healthz · ${base}/readyz · Ctrl-C stops`);
    say('a token for the IDE or curl: npm run -s token -- --sub me --department civil-affairs --roles officer --areas 610921');
  } else if (!stopping) {
    say('services did not become ready within 60 s');
  }
}

main().catch((error: unknown) => {
  say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
