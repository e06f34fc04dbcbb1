import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEPARTMENTS } from '../../common/departments';
import { createLogger } from '../../common/logger';
import { encodeContext } from '../../common/governance-context';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import type { RunningDepartment } from '../../subgraphs/department-server';
import { loadDepartment } from '../../subgraphs/departments';
import { BENCH_CALLER_HEADER, identifyBenchCaller } from '../../bench/bench-caller';

/**
 * The benchmark's unsigned listener is every department's second listener
 * (subgraphs/department-server.ts) with the benchmark's caller header: it
 * exists only when the code that starts the subgraph asks for it, and never
 * loosens the signed one.
 */
describe.each(DEPARTMENTS.map((department) => [department.name, department] as const))('the benchmark listener of %s', (name, entry) => {
  let dir: string;
  const running: RunningDepartment[] = [];
  const start = async (unsignedBenchPort?: number) => {
    const subgraph = await (
      await loadDepartment(entry)
    ).start(
      { ...loadDepartmentConfig(name, { DATA_DIR: dir, LOG_LEVEL: 'silent' }), port: 0, verifyKeys: undefined },
      createLogger(name, 'silent'),
      unsignedBenchPort === undefined ? {} : { secondListener: { port: unsignedBenchPort, identify: identifyBenchCaller } },
    );
    running.push(subgraph);
    return subgraph;
  };
  const post = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ __typename }"}' });
  const caller = encodeContext({
    sub: 'b',
    department: 'grid',
    roles: ['grid_worker'],
    areas: ['610921'],
    purpose: 'assistance',
    requestId: 'x',
  });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-bench-listener-'));
  });
  afterAll(async () => {
    for (const subgraph of running) await subgraph.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is not opened unless the code that starts the subgraph asks for it', async () => {
    const subgraph = await start();
    expect(subgraph.secondUrl).toBeUndefined();
    expect((await post(subgraph.url, { [BENCH_CALLER_HEADER]: caller })).status).toBe(401);
  });

  it('takes the caller from its header, refuses requests without one, and leaves the signed listener strict', async () => {
    const subgraph = await start(0);
    const answered = await post(subgraph.secondUrl!, { [BENCH_CALLER_HEADER]: caller });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await post(subgraph.secondUrl!)).status).toBe(401);
    expect((await post(subgraph.secondUrl!, { [BENCH_CALLER_HEADER]: 'not-a-context' })).status).toBe(401);
    expect((await post(subgraph.url, { [BENCH_CALLER_HEADER]: caller })).status).toBe(401);
  });
});
