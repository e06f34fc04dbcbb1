import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../common/logger';
import { encodeContext } from '../../common/governance-context';
import { grid } from '../../subgraphs/grid/server';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/kit/subgraph';

/**
 * The benchmark's unsigned listener exists only when asked for in code, and
 * never loosens the signed one.
 */
describe('the benchmark listener of a subgraph', () => {
  let dir: string;
  const running: RunningSubgraph[] = [];
  const start = (unsignedBenchPort?: number) =>
    startSubgraph(
      grid,
      { service: 'grid', port: 0, host: '127.0.0.1', database: { kind: 'sqlite', path: path.join(dir, 'grid.sqlite') }, logLevel: 'silent', dataDir: dir, signingKey: undefined },
      createLogger('grid', 'silent'),
      unsignedBenchPort === undefined ? {} : { unsignedBenchPort },
    ).then((subgraph) => (running.push(subgraph), subgraph));
  const post = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ gridCells(first: 1) { totalCount } }"}' });
  const caller = encodeContext({ sub: 'b', department: 'grid', roles: ['grid_worker'], areas: ['610921'], purpose: 'assistance', requestId: 'x' });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-bench-listener-'));
  });
  afterAll(async () => {
    for (const subgraph of running) await subgraph.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is not opened unless the code that starts the subgraph asks for it', async () => {
    const subgraph = await start();
    expect(subgraph.unsignedBenchUrl).toBeUndefined();
    expect((await post(subgraph.url, { 'x-bench-caller': caller })).status).toBe(401);
  });

  it('takes the caller from its header, refuses requests without one, and leaves the signed listener strict', async () => {
    const subgraph = await start(0);
    const answered = await post(subgraph.unsignedBenchUrl!, { 'x-bench-caller': caller });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ data: { gridCells: { totalCount: 0 } } });
    expect((await post(subgraph.unsignedBenchUrl!)).status).toBe(401);
    expect((await post(subgraph.unsignedBenchUrl!, { 'x-bench-caller': 'not-a-context' })).status).toBe(401);
    expect((await post(subgraph.url, { 'x-bench-caller': caller })).status).toBe(401);
  });
});
