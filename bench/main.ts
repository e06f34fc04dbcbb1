import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEPARTMENTS } from '../common/departments';
import { encodeContext } from '../common/governance-context';
import { projectRoot } from '../common/project-root';
import { identityFromClaims } from '../gateway/identity/identity';
import { loadSandboxSigningKey, mintSandboxToken } from '../gateway/identity/sandbox-keys';
import { BENCH_CALLER_HEADER } from './bench-caller';
import { requestStats } from './ipc';
import { runWindow, type Target, type WindowResult } from './load';
import { parseBenchOptions, type BenchOptions } from './options';
import { answersGraphQL, cpuTimeMs, freePort, residentSetBytes, startService, stopService, waitUntilReady, type Service } from './processes';
import { formatReport, summarise, type Measurement, type Scenario } from './report';
import { copyCounty, ensureSeededCounty } from './seed-cache';
import {
  allCallers,
  benchContext,
  chooser,
  mixedOperations,
  readPools,
  residentSearchOperation,
  seededRandom,
  singleSubgraphOperation,
  type BenchCaller,
  type BenchRequest,
  type Operation,
  type Pools,
} from './workload';

/**
 * `npm run bench [-- --quick]`: govgraph side by side with the same Apollo
 * gateway without governance, with Hive Gateway, and with one subgraph called
 * directly, on one seeded county, in alternating windows. See README
 * "Performance".
 */
const ROOT = projectRoot();
const DIST = path.join(ROOT, 'dist');

function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

interface RunningSubgraphService {
  name: string;
  service: Service;
  signedUrl: string;
  unsignedUrl: string;
}

interface Stack {
  subgraphs: RunningSubgraphService[];
  governed: Service & { url: string; dataDir: string };
  plain: Service & { url: string };
  hive: Service & { url: string };
}

const graphqlUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;
const readyz = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;

async function startStack(runDir: string, options: BenchOptions): Promise<Stack> {
  const logDir = path.join(runDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const signingKey = randomBytes(32).toString('base64');
  // govgraph and the plain gateway are profiled side by side, so the difference is governance.
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const profileFlags = (name: string) =>
    options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${name}-${stamp}.cpuprofile`] : [];
  const base = { ...process.env, LOG_LEVEL: 'warn', GOVERNANCE_SIGNING_KEY: signingKey };

  const subgraphs = await Promise.all(
    DEPARTMENTS.map(async (subgraph) => {
      const [signed, unsigned] = [await freePort(), await freePort()];
      const service = startService({
        name: subgraph.name,
        entry: path.join(DIST, 'bench', 'subgraph.js'),
        args: [subgraph.name, String(unsigned)],
        env: { ...base, DATA_DIR: runDir, [subgraph.env.port]: String(signed) },
        logDir,
      });
      await waitUntilReady(service, readyz(signed));
      return { name: subgraph.name, service, signedUrl: graphqlUrl(signed), unsignedUrl: graphqlUrl(unsigned) };
    }),
  );

  const governedDir = path.join(runDir, 'gateway');
  const governedPort = await freePort();
  const governed = startService({
    name: 'governed',
    entry: path.join(DIST, 'gateway', 'main.js'),
    env: { ...base, PORT: String(governedPort), DATA_DIR: governedDir, ...Object.fromEntries(DEPARTMENTS.map((s, i) => [s.env.url, subgraphs[i]!.signedUrl])) },
    execArgv: profileFlags('governed'),
    logDir,
  });
  const unsignedUrls = JSON.stringify(Object.fromEntries(subgraphs.map((s) => [s.name, s.unsignedUrl])));
  const supergraph = path.join(ROOT, 'schema', 'supergraph.graphql');
  const peer = async (name: string, entry: string) => {
    const port = await freePort();
    const service = startService({
      name,
      entry: path.join(DIST, 'bench', entry),
      env: { ...base, PORT: String(port), SUPERGRAPH_PATH: supergraph, BENCH_SUBGRAPH_URLS: unsignedUrls, PLAIN_CLIENT: options.plainClient },
      execArgv: name === 'plain' ? profileFlags(name) : [],
      logDir,
    });
    return { ...service, url: graphqlUrl(port) };
  };
  const [plain, hive] = [await peer('plain', 'plain-gateway.js'), await peer('hive', 'hive-gateway.js')];
  await waitUntilReady(governed, readyz(governedPort));
  await waitUntilReady(plain, () => answersGraphQL(plain.url));
  await waitUntilReady(hive, () => answersGraphQL(hive.url));
  return { subgraphs, governed: { ...governed, url: graphqlUrl(governedPort), dataDir: governedDir }, plain, hive };
}

async function stopStack(stack: Stack): Promise<void> {
  await Promise.all([stack.governed, stack.plain, stack.hive].map(stopService));
  await Promise.all(stack.subgraphs.map((subgraph) => stopService(subgraph.service)));
}

/** Targets: govgraph with tokens; the others with the caller header the subgraphs' unsigned listeners read. */
async function targetsFor(stack: Stack, pools: Pools): Promise<{ governed: Target; plain: Target; hive: Target; direct: Target }> {
  const { privateKey } = loadSandboxSigningKey(stack.governed.dataDir);
  const tokens = new Map<string, string>();
  const token = async (caller: BenchCaller) => {
    let minted = tokens.get(caller.sub);
    if (!minted) {
      const identity = identityFromClaims({ sub: caller.sub, name: caller.name, department: caller.department, roles: caller.roles, areas: caller.areas });
      minted = await mintSandboxToken(privateKey, identity, 4 * 3600);
      tokens.set(caller.sub, minted);
    }
    return minted;
  };
  for (const caller of allCallers(pools)) await token(caller);
  const contexts = new Map<string, string>();
  const unsignedHeaders = (request: BenchRequest) => {
    let encoded = contexts.get(request.caller.sub);
    if (!encoded) {
      encoded = encodeContext(benchContext(request.caller));
      contexts.set(request.caller.sub, encoded);
    }
    return { [BENCH_CALLER_HEADER]: encoded };
  };
  const governedHeaders = (request: BenchRequest) => {
    const minted = tokens.get(request.caller.sub);
    if (!minted) throw new Error(`no token minted for ${request.caller.sub}`);
    return { authorization: `Bearer ${minted}`, 'x-purpose': request.caller.purpose, 'apollographql-client-name': 'govgraph-bench' };
  };
  const civil = stack.subgraphs.find((s) => s.name === 'civil-affairs')!;
  return {
    governed: { name: 'governed', url: stack.governed.url, pid: stack.governed.child.pid, headersFor: governedHeaders },
    plain: { name: 'plain', url: stack.plain.url, pid: stack.plain.child.pid, headersFor: unsignedHeaders },
    hive: { name: 'hive', url: stack.hive.url, pid: stack.hive.child.pid, headersFor: unsignedHeaders },
    direct: { name: 'direct', url: civil.unsignedUrl, pid: civil.service.child.pid, headersFor: unsignedHeaders },
  };
}

async function post(target: Target, request: BenchRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headersFor(request) },
    body: JSON.stringify({ operationName: request.operationName, query: request.query, variables: request.variables }),
  });
  return { status: response.status, body: await response.text() };
}

/** Every operation answered in full by every target it is measured on, before anything is timed. */
async function preflight(targets: Target[], operations: Operation[]): Promise<void> {
  for (const op of operations) {
    for (let i = 0; i < 3; i += 1) {
      const request = op.next(seededRandom(7 + i));
      const answers = await Promise.all(targets.map(async (target) => ({ target, ...(await post(target, request)) })));
      for (const { target, status, body } of answers) {
        if (status !== 200 || body.includes('"errors":')) throw new Error(`${target.name} did not answer ${op.name} in full: ${status} ${body.slice(0, 400)}`);
      }
    }
  }
}

async function statementsSoFar(stack: Stack): Promise<number> {
  const counts = await Promise.all(stack.subgraphs.map(async (subgraph) => (await requestStats(subgraph.service.child)).statements ?? 0));
  return counts.reduce((sum, count) => sum + count, 0);
}

/** SQL statements per operation at two page sizes, sequentially, through govgraph. */
async function statementsByPageSize(stack: Stack, governed: Target, pools: Pools): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const first of [10, 100]) {
    for (const op of [residentSearchOperation(pools, first), singleSubgraphOperation(pools, first)]) {
      const random = seededRandom(first);
      const before = await statementsSoFar(stack);
      const count = 20;
      for (let i = 0; i < count; i += 1) {
        const { status, body } = await post(governed, op.next(random));
        if (status !== 200 || body.includes('"errors":')) throw new Error(`${op.name} (first ${first}) failed: ${status}`);
      }
      figures[`${op.name}@${first}`] = ((await statementsSoFar(stack)) - before) / count;
    }
  }
  return figures;
}

function auditCounter(dataDir: string): { records(): number; close(): void } {
  const db = new Database(path.join(dataDir, 'gateway.sqlite'), { readonly: true, fileMustExist: true });
  const statement = db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM audit_event');
  return { records: () => (statement.get() as { n: number }).n, close: () => db.close() };
}

async function measure(
  stack: Stack,
  target: Target,
  scenario: Scenario,
  draw: () => BenchRequest,
  options: BenchOptions,
  audit: ReturnType<typeof auditCounter> | undefined,
): Promise<Measurement> {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, residentSetBytes(target.pid) ?? 0)), 250);
  const statementsBefore = await statementsSoFar(stack);
  const auditBefore = audit?.records();
  const cpuBefore = cpuTimeMs(target.pid);
  const subgraphCpu = () => stack.subgraphs.reduce((sum, subgraph) => sum + (cpuTimeMs(subgraph.service.child.pid) ?? Number.NaN), 0);
  const subgraphCpuBefore = subgraphCpu();
  let window: WindowResult;
  try {
    window = await runWindow(target, { connections: options.connections, seconds: options.seconds, draw });
  } finally {
    clearInterval(sampler);
  }
  const cpuMs = (cpuTimeMs(target.pid) ?? Number.NaN) - (cpuBefore ?? Number.NaN);
  const subgraphCpuMs = subgraphCpu() - subgraphCpuBefore;
  // Records of the last responses are committed within a group-commit interval.
  if (audit) await new Promise((resolve) => setTimeout(resolve, 200));
  const statements = (await statementsSoFar(stack)) - statementsBefore;
  const auditRecords = audit && auditBefore !== undefined ? audit.records() - auditBefore : undefined;
  return { target: target.name, scenario, ...window, peakRssBytes: peakRss, cpuMs, subgraphCpuMs, statements, auditRecords };
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const started = Date.now();
  const county = await ensureSeededCounty(path.join(ROOT, 'data', 'bench'), options.residents, options.seed, DIST);
  say(county.seeded ? `seeded ${options.residents} residents in ${county.seconds.toFixed(1)} s (cached for next time)` : `using the cached county of ${options.residents} residents`);
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'govgraph-bench-'));
  await copyCounty(county, runDir);
  if (options.cpuProf) await mkdir(options.profileDir, { recursive: true });
  let stack: Stack | undefined;
  try {
    stack = await startStack(runDir, options);
    const pools = readPools(runDir);
    const targets = await targetsFor(stack, pools);
    const mix = mixedOperations(pools);
    const single = singleSubgraphOperation(pools);
    const scenarios: { scenario: Scenario; operations: Operation[]; targets: Target[] }[] = [
      { scenario: 'mixed', operations: mix, targets: [targets.governed, targets.plain, targets.hive] },
      { scenario: 'single', operations: [single], targets: [targets.governed, targets.plain, targets.hive, targets.direct] },
    ];
    say('checking that every target answers every operation in full');
    for (const { operations, targets: list } of scenarios) await preflight(list, operations.filter((op) => op.name !== 'RecordVisit'));
    const pageSizes = await statementsByPageSize(stack, targets.governed, pools);
    const audit = auditCounter(stack.governed.dataDir);
    const measurements: Measurement[] = [];
    try {
      say(`warming up: ${options.warmupSeconds} s per target`);
      for (const { operations, targets: list } of scenarios) {
        for (const target of list) {
          const [random, choose] = [seededRandom(1), chooser(operations)];
          await runWindow(target, { connections: options.connections, seconds: options.warmupSeconds, draw: () => choose(random) });
        }
      }
      for (let round = 0; round < options.rounds; round += 1) {
        for (const { scenario, operations, targets: list } of scenarios) {
          // Rotated each round, so that no target always runs first or last.
          const order = list.map((_, i) => list[(i + round) % list.length]!);
          for (const target of order) {
            // Unmeasured, right before its window: a gateway left idle while the others ran (40 s or
            // more) comes back slower for several seconds, which made a window's place in the
            // rotation, not the gateway, decide its throughput.
            const [warmRandom, warmChoose] = [seededRandom(500 + round), chooser(operations)];
            await runWindow(target, { connections: options.connections, seconds: options.windowWarmupSeconds, draw: () => warmChoose(warmRandom) });
            // The same draws for every target of a round.
            const random = seededRandom(1000 + round);
            const choose = chooser(operations);
            const m = await measure(stack, target, scenario, () => choose(random), options, target === targets.governed ? audit : undefined);
            measurements.push(m);
            say(`round ${round + 1}/${options.rounds} ${scenario.padEnd(6)} ${target.name.padEnd(8)} ${m.rps.toFixed(0).padStart(6)} req/s  p99 ${m.p99.toFixed(1)} ms${m.failed ? `  FAILED ${m.failed}: ${m.failure}` : ''}`);
          }
        }
      }
    } finally {
      audit.close();
    }
    const summary = summarise(measurements, pageSizes, options, (Date.now() - started) / 1000);
    process.stdout.write(formatReport(summary, options, mix));
    process.stdout.write(`${JSON.stringify(summary.json)}\n`);
    process.exitCode = summary.failed > 0 ? 1 : 0;
  } finally {
    if (stack) await stopStack(stack);
    if (options.cpuProf) say(`CPU profiles of govgraph and the plain gateway: ${options.profileDir} (open in Chrome DevTools or speedscope)`);
    if (options.keep) say(`run folder kept: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  say(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
