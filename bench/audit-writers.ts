import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource, openDataSource, type DatabaseConfig } from '../common/database/datasource';
import { StatementCounter } from '../common/database/statement-counter';
import { createLogger } from '../common/logger';
import type { AuditEntry } from '../gateway/audit/audit-record';
import { AuditStore } from '../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../gateway/audit/migrations';
import { startPostgres } from '../scripts/postgres-server';

/**
 * `npm run bench:audit-writers`: records per second one PostgreSQL audit
 * trail takes from 1, 2 and 4 gateway replicas at once, each beside one
 * replica taking the same load alone. Each replica is a process with its
 * own AuditStore and connection pool, like a gateway; in each, WAITERS
 * requests at a time wait for their record to be committed, as responses
 * with personal data do, then send the next. The server runs with fsync
 * on, as production must. Prints a table (docs/deployment.md).
 */

/** Requests waiting on their records at once in each replica. */
const WAITERS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const KEY = Buffer.alloc(32, 7);

interface WriterReport {
  records: number;
  commits: number;
  /** Time this writer held the trail's lock during the window, ms. */
  lockMs: number;
  waitsMs: number[];
}

/** A record like a governed request's: five residents named, a few decisions. */
function entryFor(writer: number, i: number): AuditEntry {
  return {
    at: new Date().toISOString(),
    requestId: `${writer}-${i}-${Math.random().toString(36).slice(2, 10)}`,
    clientRequestId: null,
    sub: `officer-${i % 50}`,
    department: 'grid',
    roles: ['grid_worker'],
    purpose: 'assistance',
    clientName: 'grid-app',
    clientVersion: '2.3.1',
    operationType: 'query',
    operationName: 'ResidentsOfCell',
    documentHash: 'a'.repeat(64),
    decisions: [
      { coordinate: 'Resident.name', decision: 'allow', grant: 'G1' },
      { coordinate: 'Resident.idNumber', decision: 'mask', grant: 'G1' },
      { coordinate: 'Resident.birthDate', decision: 'deny' },
    ],
    subjects: Array.from({ length: 5 }, (_, k) => ({ type: 'Resident', id: `resident-${(i * 5 + k) % 20_000}` })),
    outcome: 'ok',
    status: 200,
    durationMs: 12,
  };
}

async function writer(index: number, waiters: number, database: DatabaseConfig, dir: string): Promise<void> {
  const dataSource = await openDataSource(
    createDataSource(database, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()),
    database,
  );
  const store = new AuditStore(
    dataSource,
    KEY,
    path.join(dir, `anchor-${index}.json`),
    createLogger('bench', 'silent'),
    path.join(dir, `spool-${index}.jsonl`),
  );
  await store.open();
  process.send!({ ready: true });
  const { start, end } = await new Promise<{ start: number; end: number }>((resolve) => process.once('message', resolve));
  let i = 0;
  const waitsMs: number[] = [];
  let records = 0;
  let commitsAtStart = 0;
  let lockAtStart = 0;
  const loop = async () => {
    while (Date.now() < end) {
      const began = performance.now();
      const now = Date.now();
      await store.append(entryFor(index, (i += 1)));
      if (now >= start) {
        records += 1;
        waitsMs.push(performance.now() - began);
      }
    }
  };
  setTimeout(
    () => {
      commitsAtStart = store.stats().commits;
      lockAtStart = store.stats().trailLockMs ?? 0;
    },
    Math.max(0, start - Date.now()),
  );
  await Promise.all(Array.from({ length: waiters }, loop));
  const commits = store.stats().commits - commitsAtStart;
  const lockMs = (store.stats().trailLockMs ?? 0) - lockAtStart;
  await store.drain();
  await dataSource.destroy();
  process.send!({ records, commits, lockMs, waitsMs } satisfies WriterReport);
}

/** Busy and total CPU time of the whole machine so far (every core), ms. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function run(replicas: number, waiters: number, url: string, dir: string): Promise<string> {
  const children = Array.from({ length: replicas }, (_, i) =>
    fork(__filename, ['--writer', String(i), String(waiters), url, dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  // A writer that dies rejects what is awaited of it, so that main's finally still stops PostgreSQL.
  const messages = children.map((child) => {
    const queue: unknown[] = [];
    const waiting: { resolve: (message: unknown) => void; reject: (error: Error) => void }[] = [];
    let failed: Error | undefined;
    child.on('message', (message) => {
      const next = waiting.shift();
      if (next) next.resolve(message);
      else queue.push(message);
    });
    child.once('exit', (code) => {
      if (code === 0) return;
      failed = new Error(`a writer exited with code ${code}`);
      for (const next of waiting.splice(0)) next.reject(failed);
    });
    return () => {
      if (queue.length > 0) return Promise.resolve(queue.shift());
      if (failed) return Promise.reject(failed);
      return new Promise<unknown>((resolve, reject) => waiting.push({ resolve, reject }));
    };
  });
  try {
    return await measureRun(replicas, waiters, children, messages);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

async function measureRun(
  replicas: number,
  waiters: number,
  children: ChildProcess[],
  messages: (() => Promise<unknown>)[],
): Promise<string> {
  await Promise.all(messages.map((next) => next()));
  const start = Date.now() + WARMUP_SECONDS * 1000;
  const end = start + SECONDS * 1000;
  for (const child of children) child.send({ start, end });
  let before = cpuTimes();
  setTimeout(() => (before = cpuTimes()), start - Date.now());
  const after = new Promise<ReturnType<typeof cpuTimes>>((resolve) => setTimeout(() => resolve(cpuTimes()), end - Date.now()));
  const reports = (await Promise.all(messages.map((next) => next()))) as WriterReport[];
  const records = reports.reduce((sum, report) => sum + report.records, 0);
  const commits = reports.reduce((sum, report) => sum + report.commits, 0);
  const p50 = median(reports.flatMap((report) => report.waitsMs));
  const lockBusy = Math.round((100 * reports.reduce((sum, report) => sum + report.lockMs, 0)) / (SECONDS * 1000));
  const { busy, total } = await after;
  const cpu = Math.round((100 * (busy - before.busy)) / Math.max(1, total - before.total));
  return `| ${replicas} | ${replicas * waiters} | ${Math.round(records / SECONDS).toLocaleString('en')} | ${Math.round(commits / SECONDS).toLocaleString('en')} | ${(records / Math.max(1, commits)).toFixed(1)} | ${p50.toFixed(1)} ms | ${lockBusy}% | ${cpu}% |`;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--writer') {
    await writer(Number(process.argv[3]), Number(process.argv[4]), { kind: 'postgres', url: process.argv[5]! }, process.argv[6]!);
    return;
  }
  const postgres = await startPostgres({ durable: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-writers-'));
  try {
    const rows = [
      '| gateway replicas | requests waiting | records/s | commits/s | records per commit | p50 wait for a record | trail lock held | machine CPU busy |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    // N replicas with WAITERS each, and beside each, one replica taking the same load alone: if the
    // lock capped the trail, N replicas would fall short of one replica with N times the waiters.
    const runs = [
      [1, WAITERS],
      [2, WAITERS],
      [1, 2 * WAITERS],
      [4, WAITERS],
      [1, 4 * WAITERS],
    ] as const;
    for (const [n, [replicas, waiters]] of runs.entries()) {
      await postgres.createDatabase(`writers_${n}`);
      rows.push(await run(replicas, waiters, postgres.url(`writers_${n}`), mkdtempSync(path.join(dir, `${n}-`))));
      process.stderr.write(`${rows[rows.length - 1]}\n`);
    }
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
