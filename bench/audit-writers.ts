import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
 * trail takes from 1, 2 and 4 gateway replicas at once. Each replica is a
 * process with its own AuditStore and connection pool, like a gateway; in
 * each, WAITERS requests at a time wait for their record to be committed,
 * as responses with personal data do, then send the next. The server runs
 * with fsync on, as production must. Prints a table (docs/deployment.md).
 */

const WAITERS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const KEY = Buffer.alloc(32, 7);

interface WriterReport {
  records: number;
  commits: number;
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

async function writer(index: number, database: DatabaseConfig, dir: string): Promise<void> {
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
  setTimeout(() => (commitsAtStart = store.stats().commits), Math.max(0, start - Date.now()));
  await Promise.all(Array.from({ length: WAITERS }, loop));
  const commits = store.stats().commits - commitsAtStart;
  await store.drain();
  await dataSource.destroy();
  process.send!({ records, commits, waitsMs } satisfies WriterReport);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function run(replicas: number, url: string, dir: string): Promise<string> {
  const children = Array.from({ length: replicas }, (_, i) =>
    fork(__filename, ['--writer', String(i), url, dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const messages = children.map((child) => {
    const queue: unknown[] = [];
    const waiting: ((message: unknown) => void)[] = [];
    child.on('message', (message) => (waiting.shift() ?? ((m: unknown) => queue.push(m)))(message));
    child.once('exit', (code) => {
      if (code !== 0) throw new Error(`a writer exited with code ${code}`);
    });
    return () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve)));
  });
  await Promise.all(messages.map((next) => next()));
  const start = Date.now() + WARMUP_SECONDS * 1000;
  const end = start + SECONDS * 1000;
  for (const child of children) child.send({ start, end });
  const reports = (await Promise.all(messages.map((next) => next()))) as WriterReport[];
  const records = reports.reduce((sum, report) => sum + report.records, 0);
  const commits = reports.reduce((sum, report) => sum + report.commits, 0);
  const p50 = median(reports.flatMap((report) => report.waitsMs));
  return `| ${replicas} | ${Math.round(records / SECONDS).toLocaleString('en')} | ${Math.round(commits / SECONDS).toLocaleString('en')} | ${(records / Math.max(1, commits)).toFixed(1)} | ${p50.toFixed(1)} ms |`;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--writer') {
    await writer(Number(process.argv[3]), { kind: 'postgres', url: process.argv[4]! }, process.argv[5]!);
    return;
  }
  const postgres = await startPostgres({ durable: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-writers-'));
  try {
    const rows = [
      '| gateway replicas | records/s | commits/s | records per commit | p50 wait for a record |',
      '| ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const replicas of [1, 2, 4]) {
      await postgres.createDatabase(`writers_${replicas}`);
      rows.push(await run(replicas, postgres.url(`writers_${replicas}`), mkdtempSync(path.join(dir, `${replicas}-`))));
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
