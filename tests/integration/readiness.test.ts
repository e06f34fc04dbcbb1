import { DEPARTMENTS } from '../../common/departments';
import { waitFor } from '../helpers/wait-for';
import { startStack, type Stack } from './stack';

interface ReadyBody {
  status: string;
  audit: string;
  subgraphs: Record<string, string>;
}

/**
 * The gateway's /readyz says whether this replica can serve: its audit store
 * takes a write. A department that is down is reported in the body; it
 * never turns readiness, since every replica would lose it at once.
 */
describe('gateway readiness', () => {
  let stack: Stack;
  const readyz = async (): Promise<{ status: number; body: ReadyBody }> => {
    const response = await fetch(new URL('/readyz', stack.gatewayUrl));
    return { status: response.status, body: (await response.json()) as ReadyBody };
  };
  const allReady = () => Object.fromEntries(DEPARTMENTS.map((d) => [d.name, 'ready']));
  const setReadOnly = (on: boolean) =>
    (stack.gateway.database.driver as unknown as { databaseConnection: { pragma(sql: string): unknown } }).databaseConnection.pragma(
      `query_only = ${on ? 'ON' : 'OFF'}`,
    );

  beforeAll(async () => {
    stack = await startStack({ residents: 200, seed: 83, subgraphTimeoutMs: 2000 });
  });
  afterAll(() => stack.stop());

  it('answers 200 naming the audit store writable and every subgraph ready', async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', audit: 'writable', subgraphs: allReady() } });
  });

  it('stays ready with a failing subgraph, names it in the body, and partial answers still flow', async () => {
    stack.breakProxy('grid', { status: 503, contentType: 'text/plain', body: 'busy' });
    try {
      const seen = await waitFor(
        async () => {
          const answer = await readyz();
          return answer.body.subgraphs.grid === 'not ready' ? answer : undefined;
        },
        { what: 'readiness naming grid not ready' },
      );
      expect(seen).toEqual({ status: 200, body: { status: 'ready', audit: 'writable', subgraphs: { ...allReady(), grid: 'not ready' } } });
      const result = await stack.query('{ residents(first: 1) { totalCount nodes { id gridCell { id } } } }');
      expect(result.data).toEqual({ residents: { totalCount: 200, nodes: [{ id: expect.any(String), gridCell: null }] } });
      expect(result.errors).toEqual([
        expect.objectContaining({
          path: ['residents', 'nodes', 0, 'gridCell'],
          extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }),
        }),
      ]);
    } finally {
      stack.breakProxy('grid', undefined);
    }
    await waitFor(async () => (await readyz()).body.subgraphs.grid === 'ready', { what: 'grid ready again' });
  });

  it('stays ready, and answers, while a subgraph hangs', async () => {
    stack.breakProxy('petitions', { hang: true });
    try {
      const seen = await waitFor(
        async () => {
          const answer = await readyz();
          return answer.body.subgraphs.petitions === 'not ready' ? answer : undefined;
        },
        { what: 'readiness naming petitions not ready' },
      );
      expect(seen.status).toBe(200);
      expect(seen.body.status).toBe('ready');
    } finally {
      stack.breakProxy('petitions', undefined);
    }
    await waitFor(async () => (await readyz()).body.subgraphs.petitions === 'ready', { what: 'petitions ready again' });
  });

  it('is not ready while the audit store refuses writes, though no commit has failed yet, and ready again once it takes them', async () => {
    setReadOnly(true);
    try {
      // Nothing is being recorded now: only a probe can tell the store has stopped taking writes.
      const seen = await waitFor(
        async () => {
          const answer = await readyz();
          return answer.status === 503 ? answer : undefined;
        },
        { what: 'readiness refused while the store is read-only' },
      );
      expect(seen).toEqual({ status: 503, body: { status: 'not ready', audit: 'not writable', subgraphs: allReady() } });
    } finally {
      setReadOnly(false);
    }
    await waitFor(async () => (await readyz()).status === 200, { what: 'ready again' });
  });
});
