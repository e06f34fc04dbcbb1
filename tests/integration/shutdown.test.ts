import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../common/project-root';
import { waitFor } from '../helpers/wait-for';

/**
 * The gateway as its own process, stopped the way a supervisor stops it.
 * Apollo Server's own signal handler used to race ours: a stop() that came
 * while Apollo was stopping waited forever, and the gateway hung on SIGTERM
 * until it was killed (with its last audit records and anchor unwritten).
 */
describe('the gateway process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-shutdown-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops on SIGTERM within seconds, exiting 0', async () => {
    const root = projectRoot();
    const child = spawn(
      process.execPath,
      ['-r', path.join(root, 'tests', 'helpers', 'ts-register.js'), '-r', 'reflect-metadata', path.join(root, 'gateway', 'main.ts')],
      {
        cwd: root,
        env: { ...process.env, DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(() => output.includes('gateway listening'), { what: 'the gateway to listen', timeoutMs: 45_000, intervalMs: 50 });
    const sent = Date.now();
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 10_000)))]);
    // A timer left running kept Jest's worker alive for ten seconds after the test, until Jest killed it.
    clearTimeout(timer);
    if (code === 'hung') child.kill('SIGKILL');
    child.stdout.destroy();
    child.stderr.destroy();
    expect(code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(10_000);
  }, 90_000);
});
