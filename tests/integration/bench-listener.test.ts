import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../common/logger';
import { encodeContext } from '../../common/governance-context';
import { subgraph as grid } from '../../subgraphs/grid/server';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/kit/subgraph';
import { BENCH_CALLER_HEADER, identifyBenchCaller } from '../../bench/bench-caller';

/**
 * The benchmark's unsigned listener is the kit's second listener with the
 * benchmark's caller header: it exists only when the code that starts the
 * subgraph asks for it, and never loosens the signed one.
 */
describe('the benchmark listener of a subgraph', () => {
  let dir: string;
  const running: RunningSubgraph[] = [];
  const start = (unsignedBenchPort?: number) =>
    startSubgraph(
      grid,
      { ...loadDepartmentConfig('grid', { DATA_DIR: dir, LOG_LEVEL: 'silent' }), port: 0, verifyKeys: undefined },
      createLogger('grid', 'silent'),
      unsignedBenchPort === undefined ? {} : { secondListener: { port: unsignedBenchPort, identify: identifyBenchCaller } },
    ).then((subgraph) => (running.push(subgraph), subgraph));
  const post = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"query":"{ gridCells(first: 1) { totalCount } }"}',
    });
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
    expect(await answered.json()).toEqual({ data: { gridCells: { totalCount: 0 } } });
    expect((await post(subgraph.secondUrl!)).status).toBe(401);
    expect((await post(subgraph.secondUrl!, { [BENCH_CALLER_HEADER]: 'not-a-context' })).status).toBe(401);
    expect((await post(subgraph.url, { [BENCH_CALLER_HEADER]: caller })).status).toBe(401);
  });
});
