import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { encodeContext } from '../../common/governance-context';
import { createLogger } from '../../common/logger';
import type { GatewayContext } from '../../gateway/request/request-context';
import { SubgraphDataSource } from '../../gateway/subgraph-datasource';
import { subgraph as grid } from '../../subgraphs/grid/server';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/kit/subgraph';
import { startRecorder, type Recorder } from './recorder';
import { waitFor } from '../helpers/wait-for';
import { newSigningKey } from '../helpers/signing-key';

/**
 * The gateway's subgraph client on its own, against a real subgraph behind
 * the test recorder: it reuses connections, and retires an idle one before
 * the subgraph would close it (the race that makes a reused socket fail).
 */
describe('the gateway’s subgraph client', () => {
  const { signingKey, verifyKeys } = newSigningKey();
  const KEEP_ALIVE_MS = 3_000;
  const LIMITS = { timeoutMs: 10_000, connections: 32 };
  let dir: string;
  let subgraph: RunningSubgraph;
  let recorder: Recorder;
  let client: SubgraphDataSource;

  /** Whether the client's pool has finished with every call: the test waits on its counts, not a time. */
  const isPoolIdle = (source: SubgraphDataSource) => {
    const stats = source.connections();
    // `free` counts the connections undici would hand the next call: connected and not waiting to drain.
    return stats.running === 0 && stats.free === stats.connected;
  };

  const call = (requestId: string, through: SubgraphDataSource = client) =>
    through.process({
      kind: 'incoming operation',
      request: { query: '{ gridCells(first: 1) { totalCount } }' },
      context: {
        requestId,
        encodedContext: encodeContext({
          sub: 'c',
          department: 'grid',
          roles: ['grid_worker'],
          areas: ['610921'],
          purpose: 'assistance',
          requestId,
        }),
      },
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-subgraph-client-'));
    subgraph = await startSubgraph(
      grid,
      { ...loadDepartmentConfig('grid', { DATA_DIR: dir, LOG_LEVEL: 'silent' }), port: 0, verifyKeys },
      createLogger('grid', 'silent'),
    );
    // A subgraph that closes idle connections after 3 s and says so (Keep-Alive: timeout=3).
    recorder = await startRecorder(subgraph.url, { keepAliveMs: KEEP_ALIVE_MS });
    client = new SubgraphDataSource('grid', recorder.url, signingKey, createLogger('gateway', 'silent'), LIMITS);
  });
  afterAll(async () => {
    await client.close();
    await recorder.close();
    await subgraph.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs each call so the subgraph answers it, and reuses one connection for calls one after another', async () => {
    const before = recorder.connections().opened;
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5'];
    for (const id of ids) {
      expect(await call(id)).toEqual({ data: { gridCells: { totalCount: 0 } } });
      // The pool frees a connection once the response has fully ended, a moment after its body is read.
      await waitFor(() => isPoolIdle(client), { what: 'the pool to free the connection' });
    }
    expect(recorder.connections().opened - before).toBe(1);
    expect(recorder.requests.slice(-ids.length).map((request) => request.headers['x-request-id'])).toEqual(ids);
  });

  it('closes an idle connection before the subgraph’s keep-alive ends, then opens a new one', async () => {
    await call('r6');
    expect(recorder.connections().open).toBe(1);
    // The pool keeps it for the subgraph's hint less 2 s: gone after about 1 s. Whatever closes it
    // before 2.8 s is the client, since the recorder's own 3 s have not run out by then.
    const idleSince = Date.now();
    await waitFor(() => recorder.connections().open === 0, {
      what: 'the client to close its idle connection',
      timeoutMs: KEEP_ALIVE_MS - 200,
      intervalMs: 25,
    });
    expect(Date.now() - idleSince).toBeGreaterThanOrEqual(900);
    const opened = recorder.connections().opened;
    expect(await call('r7')).toEqual({ data: { gridCells: { totalCount: 0 } } });
    expect(recorder.connections().opened).toBe(opened + 1);
  });

  it('answers SUBGRAPH_UNAVAILABLE when nothing listens, naming neither the address nor the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new SubgraphDataSource(
      'grid',
      `http://127.0.0.1:${port}/graphql`,
      signingKey,
      createLogger('gateway', 'silent'),
      LIMITS,
    );
    try {
      const failure = await call('r8', nowhere).then(
        () => undefined,
        (error: unknown) => error as Error & { extensions?: Record<string, unknown> },
      );
      expect(failure?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(failure?.message).toBe('The grid service is unavailable');
      expect(JSON.stringify({ message: failure?.message, extensions: failure?.extensions })).not.toMatch(
        new RegExp(`${port}|127\\.0\\.0\\.1|ECONNREFUSED`),
      );
    } finally {
      await nowhere.close();
    }
  });

  it('gives up a call to a subgraph that hangs after its timeout, and opens no more than its connections', async () => {
    const hung = await startRecorder(subgraph.url);
    hung.breakWith({ hang: true });
    const bounded = new SubgraphDataSource('grid', hung.url, signingKey, createLogger('gateway', 'silent'), {
      timeoutMs: 300,
      connections: 2,
    });
    try {
      // Without the timeout these would wait for undici's own 300 s, past the test's limit.
      const failures = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          call(`hang-${i}`, bounded).then(
            () => undefined,
            (error: unknown) => (error as { extensions?: Record<string, unknown> }).extensions?.code,
          ),
        ),
      );
      expect(failures).toEqual(Array(8).fill('SUBGRAPH_UNAVAILABLE'));
      // Eight calls at once, two sockets at most: the rest waited for one, and their wait counted against the timeout.
      // (On a busy machine the subgraph may see a replacement socket before it sees the closed one go: one more.)
      expect(hung.connections().peak).toBeLessThanOrEqual(3);
      expect(hung.connections().opened).toBeLessThan(8);
      expect(hung.requests.length).toBeLessThan(8);
    } finally {
      await bounded.close().catch(() => undefined);
      await hung.close();
    }
  });
});
