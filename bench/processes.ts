import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The benchmark's services: forked Node processes with their output in a
 * log file of the run, each polled until it answers.
 */
export interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
}

export { freePort } from '../scripts/free-port';

export interface ServiceSpec {
  name: string;
  /** Compiled entry, absolute. */
  entry: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  /** Extra flags for node, such as --cpu-prof. */
  execArgv?: string[];
  logDir: string;
}

export function startService(spec: ServiceSpec): Service {
  const logFile = path.join(spec.logDir, `${spec.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = fork(spec.entry, spec.args ?? [], {
    env: spec.env,
    execArgv: spec.execArgv ?? [],
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  return { name: spec.name, child, logFile };
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Waits until `probe` is true; fails with the service's log if it exits or takes too long. */
export async function waitUntilReady(service: Service, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} exited while starting:\n${tail(service.logFile)}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs / 1000} s:\n${tail(service.logFile)}`);
}

/** True when the service answers a GraphQL request at all (any JSON answer will do). */
export async function answersGraphQL(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{"query":"{ __typename }"}',
  });
  await response.arrayBuffer();
  return response.status < 500;
}

export async function stopService(service: Service): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resident set size of a process, bytes (Linux /proc); undefined elsewhere. */
export function residentSetBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far, ms (user + system, Linux /proc); undefined elsewhere. */
export function cpuTimeMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
