import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/**
 * A throwaway PostgreSQL server, for a test file or a local cluster: its own
 * data folder, a free port on 127.0.0.1, trust authentication, gone when
 * stopped. Needs the server binaries (Debian: apt-get install postgresql);
 * as root it runs them as the `postgres` user, since initdb refuses to run
 * as root. The server runs in a process group of its own, so that a Ctrl-C
 * at the terminal reaches only whoever started it, who stops it last (the
 * gateways commit their audit records while they stop).
 */
export interface Postgres {
  port: number;
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Connections the server accepts (PostgreSQL's default is 100; every replica keeps its own pools). */
  maxConnections?: number;
  /** Flush commits to disk, as production must (for measuring the audit write); off by default, as a throwaway server needs no durability. */
  durable?: boolean;
}

function findBinaries(): string {
  const onPath = execFileSync('sh', ['-c', 'command -v initdb || true']).toString().trim();
  if (onPath) return path.dirname(onPath);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(path.join(root, version, 'bin', 'initdb'))) return path.join(root, version, 'bin');
  throw new Error('PostgreSQL server binaries not found: install them (apt-get install postgresql)');
}

export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
  const bin = findBinaries();
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) =>
    (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]) as [string, string[]];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  execFileSync(...run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'govgraph', '--no-sync', '-E', 'UTF8']), {
    stdio: 'ignore',
  });
  const port = await freePort();
  const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', `fsync=${options.durable ? 'on' : 'off'}`];
  if (options.maxConnections) settings.push('-c', `max_connections=${options.maxConnections}`);
  const server: ChildProcess = spawn(...run(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, ...settings]), {
    stdio: 'ignore',
    detached: true,
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const url = (database: string) => `postgres://govgraph@127.0.0.1:${port}/${database}`;
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      try {
        // pg_ctl signals the server itself; a signal to runuser would not reach it.
        execFileSync(...run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
      } catch {
        // Not running (it never started, or was stopped already): its process group goes below.
      }
      try {
        if (server.pid) process.kill(-server.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (server.exitCode !== null) throw new Error(`postgres exited with code ${server.exitCode}`);
        // A client whose connect failed is finished; calling end() on it can wait forever, so only a connected one is ended.
        const client = new Client({ connectionString: url('postgres') });
        await client.connect();
        await client.end();
        return true;
      },
      { what: 'PostgreSQL to accept connections', timeoutMs: 20_000, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    url,
    createDatabase: async (name) => {
      const client = new Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
    },
    stop,
  };
}
