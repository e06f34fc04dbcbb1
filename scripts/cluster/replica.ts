import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../common/project-root';
import { waitFor } from '../wait-for';

/**
 * One process of the cluster (a gateway or subgraph replica, HAProxy): started
 * in a process group of its own, so that a Ctrl-C at the terminal reaches
 * only the cluster's supervisor, which stops everything in order; its output
 * passed on line by line; stopped with a signal, and killed if it outlives
 * its grace.
 */

/** The arguments to `node` that run a service entry (`gateway/main`): compiled in dist/, or the sources with a loader. */
export type Runner = (entry: string) => string[];

/** `npm run cluster`: the build in dist/. */
export const distRunner: Runner = (entry) => [path.join(projectRoot(), 'dist', `${entry}.js`)];

export interface ProcessSpec {
  /** The replica's name: gateway-1, grid-2, haproxy. */
  name: string;
  /** The service it runs: gateway, a department's name, haproxy. */
  service: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Each line it writes, and where. */
  output: (line: string, stream: 'stdout' | 'stderr') => void;
  /** It exited without being asked to. */
  onUnexpectedExit: (process: ManagedProcess, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<Exit> = Promise.resolve({ code: null, signal: null });
  private stopping = false;
  /** How often it was started. */
  starts = 0;

  constructor(readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is running already`);
    this.stopping = false;
    this.starts += 1;
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: projectRoot(),
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => this.spec.output(line, 'stdout'));
    createInterface({ input: child.stderr! }).on('line', (line) => this.spec.output(line, 'stderr'));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.stopping) this.spec.onUnexpectedExit(this, code, signal);
        resolve({ code, signal });
      });
      // A binary that cannot be run at all: reported as an exit.
      child.once('error', (error) => {
        this.spec.output(`could not run ${this.spec.command}: ${error.message}`, 'stderr');
        if (child.exitCode === null) resolve({ code: null, signal: null });
      });
    });
  }

  /** Sends `signal` and waits for the exit; SIGKILL once `killAfterMs` have passed. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 25_000): Promise<Exit> {
    const child = this.child;
    if (!child || !this.running) return this.exited;
    this.stopping = true;
    const timer = setTimeout(() => this.kill(), killAfterMs);
    try {
      child.kill(signal);
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL to its whole process group, at once (also from an exit handler, where nothing can be awaited). */
  kill(): void {
    const pid = this.child?.pid;
    if (!pid || !this.running) return;
    this.stopping = true;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }

  /** Resolves once GET http://127.0.0.1:`port``probe` answers 200; fails at once if the process exits first. */
  async waitHealthy(port: number, timeoutMs: number, probe = '/readyz'): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    const verdict = await waitFor(
      async () => {
        if (exited || !this.running) return 'exited';
        const response = await fetch(`http://127.0.0.1:${port}${probe}`, { signal: AbortSignal.timeout(2_000) });
        await response.body?.cancel();
        return response.ok && 'ready';
      },
      { what: `${this.name} to answer ${probe} on port ${port}`, timeoutMs, intervalMs: 200 },
    );
    if (verdict === 'exited') throw new Error(`${this.name} exited before it was ready (its last lines say why)`);
  }
}
