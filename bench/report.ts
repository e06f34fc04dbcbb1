import os from 'node:os';
import type { WindowResult } from './load';
import type { BenchOptions } from './options';
import type { Operation } from './workload';

export type Scenario = 'mixed' | 'single';

export interface Measurement extends WindowResult {
  target: string;
  scenario: Scenario;
  peakRssBytes: number;
  /** CPU time the target's process used during the window, ms. */
  cpuMs: number;
  /** CPU time all subgraphs used during the window, ms. */
  subgraphCpuMs: number;
  /** SQL statements all subgraphs sent during the window. */
  statements: number;
  /** Audit records committed during the window (governed only). */
  auditRecords: number | undefined;
}

interface Row {
  target: string;
  rps: number;
  p50: number;
  p99: number;
  rssMb: number;
  /** CPU of the gateway (or subgraph, for direct) per request, ms. */
  cpuPerOp: number;
  /** CPU of all subgraphs per request, ms. */
  subgraphCpuPerOp: number;
  sqlPerOp: number;
  auditPerSecond: number | undefined;
  requests: number;
  failed: number;
}

export interface Summary {
  mixed: Row[];
  single: Row[];
  pageSizes: Record<string, number>;
  failed: number;
  json: Record<string, number | string | boolean>;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One row per target: medians over rounds; SQL per operation over all of its windows. */
function rows(measurements: Measurement[], scenario: Scenario): Row[] {
  const targets = [...new Set(measurements.filter((m) => m.scenario === scenario).map((m) => m.target))];
  return targets.map((target) => {
    const own = measurements.filter((m) => m.scenario === scenario && m.target === target);
    const requests = own.reduce((sum, m) => sum + m.requests, 0);
    const audited = own.filter((m) => m.auditRecords !== undefined);
    return {
      target,
      rps: median(own.map((m) => m.rps)),
      p50: median(own.map((m) => m.p50)),
      p99: median(own.map((m) => m.p99)),
      rssMb: Math.max(...own.map((m) => m.peakRssBytes)) / 2 ** 20,
      cpuPerOp: own.reduce((sum, m) => sum + m.cpuMs, 0) / Math.max(1, requests),
      subgraphCpuPerOp: own.reduce((sum, m) => sum + m.subgraphCpuMs, 0) / Math.max(1, requests),
      sqlPerOp: own.reduce((sum, m) => sum + m.statements, 0) / Math.max(1, requests),
      auditPerSecond: audited.length ? median(audited.map((m) => m.auditRecords! / m.seconds)) : undefined,
      requests,
      failed: own.reduce((sum, m) => sum + m.failed, 0),
    };
  });
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export function summarise(measurements: Measurement[], pageSizes: Record<string, number>, options: BenchOptions, seconds: number): Summary {
  const mixed = rows(measurements, 'mixed');
  const single = rows(measurements, 'single');
  const find = (list: Row[], target: string) => list.find((row) => row.target === target);
  const [governed, plain, hive] = ['governed', 'plain', 'hive'].map((t) => find(mixed, t));
  const direct = find(single, 'direct');
  const failed = [...mixed, ...single].reduce((sum, row) => sum + row.failed, 0);
  const json: Summary['json'] = {
    governed_rps: round(governed?.rps ?? NaN, 1),
    plain_rps: round(plain?.rps ?? NaN, 1),
    hive_rps: round(hive?.rps ?? NaN, 1),
    direct_rps: round(direct?.rps ?? NaN, 1),
    governed_p50_ms: round(governed?.p50 ?? NaN),
    plain_p50_ms: round(plain?.p50 ?? NaN),
    hive_p50_ms: round(hive?.p50 ?? NaN),
    governed_p99_ms: round(governed?.p99 ?? NaN),
    plain_p99_ms: round(plain?.p99 ?? NaN),
    hive_p99_ms: round(hive?.p99 ?? NaN),
    governed_over_plain_rps: round((governed?.rps ?? NaN) / (plain?.rps ?? NaN), 3),
    governed_over_plain_p99: round((governed?.p99 ?? NaN) / (plain?.p99 ?? NaN), 3),
    governed_over_hive_rps: round((governed?.rps ?? NaN) / (hive?.rps ?? NaN), 3),
    single_governed_rps: round(find(single, 'governed')?.rps ?? NaN, 1),
    single_plain_rps: round(find(single, 'plain')?.rps ?? NaN, 1),
    single_hive_rps: round(find(single, 'hive')?.rps ?? NaN, 1),
    governed_sql_per_op: round(governed?.sqlPerOp ?? NaN),
    governed_audit_records_per_s: round(governed?.auditPerSecond ?? NaN, 1),
    governed_rss_mb: round(governed?.rssMb ?? NaN, 0),
    governed_cpu_ms_per_op: round(governed?.cpuPerOp ?? NaN, 3),
    plain_cpu_ms_per_op: round(plain?.cpuPerOp ?? NaN, 3),
    hive_cpu_ms_per_op: round(hive?.cpuPerOp ?? NaN, 3),
    ...Object.fromEntries(Object.entries(pageSizes).map(([key, value]) => [`sql_per_op_${key.replace('@', '_first')}`, round(value)])),
    residents: options.residents,
    connections: options.connections,
    rounds: options.rounds,
    window_s: options.seconds,
    quick: options.quick,
    plain_client: options.plainClient,
    failed,
    wall_s: round(seconds, 0),
  };
  return { mixed, single, pageSizes, failed, json };
}

function table(title: string, list: Row[]): string {
  const header = [
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'RSS MB',
    'CPU ms/op',
    'subgraph CPU ms/op',
    'SQL/op',
    'audit rec/s',
    'requests',
    'failed',
  ];
  const body = list.map((row) => [
    row.target,
    row.rps.toFixed(0),
    row.p50.toFixed(1),
    row.p99.toFixed(1),
    row.rssMb.toFixed(0),
    row.cpuPerOp.toFixed(2),
    row.subgraphCpuPerOp.toFixed(2),
    row.sqlPerOp.toFixed(2),
    row.auditPerSecond === undefined ? '—' : row.auditPerSecond.toFixed(0),
    String(row.requests),
    String(row.failed),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [title, line(header), ...body.map(line)].join('\n');
}

function check(label: string, value: number, target: string, ok: boolean): string {
  return `${ok ? 'met   ' : 'MISSED'}  ${label}: ${Number.isFinite(value) ? value.toFixed(3) : 'n/a'} (target ${target})`;
}

export function formatReport(summary: Summary, options: BenchOptions, mix: Operation[]): string {
  const cpus = os.cpus();
  const total = mix.reduce((sum, op) => sum + op.weight, 0);
  const shares = mix.map((op) => `${op.name} ${Math.round((100 * op.weight) / total)}%`).join(', ');
  const j = summary.json;
  const pages = Object.entries(summary.pageSizes)
    .map(([key, value]) => `${key.replace('@', ' first ')}: ${value.toFixed(2)}`)
    .join(' · ');
  return [
    '',
    `govgraph benchmark · ${options.residents.toLocaleString('en')} residents · ${options.connections} connections · ${options.rounds} rounds of ${options.seconds} s per target, alternating · medians over rounds`,
    `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
    '',
    table(`mixed workload (${shares})`, summary.mixed),
    '',
    table(
      'single-subgraph operation (ResidentPage: one page of residents, civil affairs only; direct = that subgraph itself, RSS its own)',
      summary.single,
    ),
    '',
    `SQL statements per operation by page size (governed, sequential): ${pages}`,
    '',
    check('governed/plain throughput', Number(j.governed_over_plain_rps), '≥ 0.90', Number(j.governed_over_plain_rps) >= 0.9),
    check('governed/plain p99', Number(j.governed_over_plain_p99), '≤ 1.20', Number(j.governed_over_plain_p99) <= 1.2),
    check('governed/hive throughput', Number(j.governed_over_hive_rps), '≥ 1.00', Number(j.governed_over_hive_rps) >= 1),
    summary.failed > 0
      ? `FAILED: ${summary.failed} requests were not answered in full; the numbers above do not count`
      : 'every request answered in full (HTTP 200, no GraphQL errors)',
    '',
  ].join('\n');
}
