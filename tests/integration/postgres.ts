import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { waitFor } from '../helpers/wait-for';

/**
 * A throwaway PostgreSQL server for one test file: its own data folder, a
 * free port on 127.0.0.1, trust authentication, gone when stopped. Needs the
 * server binaries (Debian: apt-get install postgresql); as root it runs them
 * as the `postgres` user, since initdb refuses to run as root.
 */
export interface Postgres {
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

function findBinaries(): string {
  const onPath = execFileSync('sh', ['-c', 'command -v initdb || true']).toString().trim();
  if (onPath) return path.dirname(onPath);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(path.join(root, version, 'bin', 'initdb'))) return path.join(root, version, 'bin');
  throw new Error('PostgreSQL server binaries not found: install them (apt-get install postgresql) to run the PostgreSQL tests');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<Postgres> {
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
  const server: ChildProcess = spawn(
    ...run(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']),
    { stdio: 'ignore' },
  );
  const url = (database: string) => `postgres://govgraph@127.0.0.1:${port}/${database}`;
  await waitFor(
    async () => {
      // A client whose connect failed is finished; calling end() on it can wait forever, so only a connected one is ended.
      const client = new Client({ connectionString: url('postgres') });
      await client.connect();
      await client.end();
      return true;
    },
    { what: 'PostgreSQL to accept connections', timeoutMs: 20_000, intervalMs: 100 },
  );
  return {
    url,
    createDatabase: async (name) => {
      const client = new Client({ connectionString: url('postgres') });
      await client.connect();
      await client.query(`CREATE DATABASE "${name}"`);
      await client.end();
    },
    stop: async () => {
      const exited = server.exitCode === null ? new Promise((resolve) => server.once('exit', resolve)) : Promise.resolve();
      // pg_ctl signals the server itself; a signal to runuser would not reach it.
      execFileSync(...run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
