import path from 'node:path';
import { openTrailCounter, type TrailCounter } from '../gateway/audit/trail-counter';
import { requestStats } from './ipc';
import { runWindow, type Target, type WindowResult } from './load';
import type { BenchOptions } from './options';
import { cpuTimeMs, residentSetBytes } from './processes';
import type { Measurement, Scenario } from './report';
import type { Stack } from './stack';
import { post } from './targets';
import type { Pools } from './pools';
import { residentSearchOperation, seededRandom, singleSubgraphOperation, type BenchRequest } from './workload';

/**
 * What a measuring window records besides throughput and latency: the
 * target's peak memory and CPU, the subgraphs' CPU and SQL statements, and
 * for govgraph the audit records committed.
 */
async function statementsSoFar(stack: Stack): Promise<number> {
  const counts = await Promise.all(stack.subgraphs.map(async (subgraph) => (await requestStats(subgraph.service.child)).statements ?? 0));
  return counts.reduce((sum, count) => sum + count, 0);
}

/** SQL statements per operation at two page sizes, sequentially, through govgraph. */
export async function statementsByPageSize(stack: Stack, governed: Target, pools: Pools): Promise<Record<string, number>> {
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

/** The records govgraph's trail holds, counted from the benchmark's process. */
export function auditCounter(dataDir: string): TrailCounter {
  return openTrailCounter(path.join(dataDir, 'gateway.sqlite'));
}

export async function measure(
  stack: Stack,
  target: Target,
  scenario: Scenario,
  draw: () => BenchRequest,
  options: BenchOptions,
  audit: TrailCounter | undefined,
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
