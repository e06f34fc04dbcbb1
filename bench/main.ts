import 'reflect-metadata';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../common/project-root';
import { runWindow, type Target } from './load';
import type { TrailCounter } from '../gateway/audit/trail-counter';
import { auditCounter, measure, statementsByPageSize } from './measure';
import { parseBenchOptions, type BenchOptions } from './options';
import { formatReport, summarise, type Measurement, type Scenario } from './report';
import { copyCounty, ensureSeededCounty } from './seed-cache';
import { DIST, startStack, stopStack, type Stack } from './stack';
import { preflight, targetsFor } from './targets';
import { readPools } from './pools';
import { chooser, mixedOperations, seededRandom, singleSubgraphOperation, type Operation } from './workload';

/**
 * `npm run bench [-- --quick]`: govgraph side by side with the same Apollo
 * gateway without governance, with Hive Gateway, and with one subgraph called
 * directly, on one seeded county, in alternating windows. See
 * docs/performance.md.
 */
interface Plan {
  scenario: Scenario;
  operations: Operation[];
  targets: Target[];
}

function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function warmUp(plans: Plan[], options: BenchOptions): Promise<void> {
  say(`warming up: ${options.warmupSeconds} s per target`);
  for (const { operations, targets } of plans) {
    for (const target of targets) {
      const [random, choose] = [seededRandom(1), chooser(operations)];
      await runWindow(target, { connections: options.connections, seconds: options.warmupSeconds, draw: () => choose(random) });
    }
  }
}

/** The target whose audit records a window counts (govgraph), and the counter. */
interface Audited {
  target: Target;
  counter: TrailCounter;
}

/** One round: every target of every plan measured once, in an order rotated by the round. */
async function runRound(stack: Stack, plans: Plan[], round: number, options: BenchOptions, audited: Audited): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  for (const { scenario, operations, targets } of plans) {
    // Rotated each round, so that no target always runs first or last.
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    for (const target of order) {
      // Unmeasured, right before its window: a gateway left idle while the others ran comes back
      // slower for a while, and the window's place in the rotation, not the gateway, would decide.
      const [warmRandom, warmChoose] = [seededRandom(500 + round), chooser(operations)];
      await runWindow(target, {
        connections: options.connections,
        seconds: options.windowWarmupSeconds,
        draw: () => warmChoose(warmRandom),
      });
      // The same draws for every target of a round.
      const [random, choose] = [seededRandom(1000 + round), chooser(operations)];
      const audit = target === audited.target ? audited.counter : undefined;
      const m = await measure(stack, target, scenario, () => choose(random), options, audit);
      measurements.push(m);
      const failure = m.failed ? `  FAILED ${m.failed}: ${m.failure}` : '';
      say(
        `round ${round + 1}/${options.rounds} ${scenario.padEnd(6)} ${target.name.padEnd(8)} ${m.rps.toFixed(0).padStart(6)} req/s  p99 ${m.p99.toFixed(1)} ms${failure}`,
      );
    }
  }
  return measurements;
}

async function runBenchmark(stack: Stack, runDir: string, options: BenchOptions, started: number): Promise<void> {
  const pools = readPools(runDir);
  const targets = await targetsFor(stack, pools);
  const mix = mixedOperations(pools);
  const plans: Plan[] = [
    { scenario: 'mixed', operations: mix, targets: [targets.governed, targets.plain, targets.hive] },
    {
      scenario: 'single',
      operations: [singleSubgraphOperation(pools)],
      targets: [targets.governed, targets.plain, targets.hive, targets.direct],
    },
  ];
  say('checking that every target answers every operation in full');
  for (const { operations, targets: list } of plans)
    await preflight(
      list,
      operations.filter((op) => op.name !== 'RecordVisit'),
    );
  const pageSizes = await statementsByPageSize(stack, targets.governed, pools);
  const audited = { target: targets.governed, counter: auditCounter(stack.governed.dataDir) };
  const measurements: Measurement[] = [];
  try {
    await warmUp(plans, options);
    for (let round = 0; round < options.rounds; round += 1) measurements.push(...(await runRound(stack, plans, round, options, audited)));
  } finally {
    audited.counter.close();
  }
  const summary = summarise(measurements, pageSizes, options, (Date.now() - started) / 1000);
  process.stdout.write(formatReport(summary, options, mix));
  process.stdout.write(`${JSON.stringify(summary.json)}\n`);
  process.exitCode = summary.failed > 0 ? 1 : 0;
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const started = Date.now();
  const county = await ensureSeededCounty(path.join(projectRoot(), 'data', 'bench'), options.residents, options.seed, DIST);
  say(
    county.seeded
      ? `seeded ${options.residents} residents in ${county.seconds.toFixed(1)} s (cached for next time)`
      : `using the cached county of ${options.residents} residents`,
  );
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'govgraph-bench-'));
  await copyCounty(county, runDir);
  if (options.cpuProf) await mkdir(options.profileDir, { recursive: true });
  let stack: Stack | undefined;
  try {
    stack = await startStack(runDir, options);
    await runBenchmark(stack, runDir, options, started);
  } finally {
    if (stack) await stopStack(stack);
    if (options.cpuProf)
      say(`CPU profiles of govgraph and the plain gateway: ${options.profileDir} (open in Chrome DevTools or speedscope)`);
    if (options.keep) say(`run folder kept: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  say(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
