import { startStack, type Stack } from './stack';

/**
 * A subgraph that stops answering (a process stopped with SIGSTOP, a wedged
 * database) costs the answers their part from it, after the gateway's
 * timeout per call, and nothing more: the other departments' fields still
 * come back, with SUBGRAPH_UNAVAILABLE at the paths the hung one owed.
 */
describe('a subgraph that hangs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 200, seed: 9, subgraphTimeoutMs: 400, purpose: 'assistance' });
    stack.breakProxy('grid', { hang: true });
  });
  afterAll(() => stack.stop());

  it('gives partial data: civil affairs’ fields, and null plus SUBGRAPH_UNAVAILABLE where the grid’s were', async () => {
    // Without the gateway's timeout this would wait for undici's 300 s, past the test's limit.
    const result = await stack.query<{ residents: { nodes: { id: string; name: string; careLevel: string | null }[] } }>(
      `{ residents(first: 3) { nodes { id name careLevel } } }`,
    );
    expect(result.status).toBe(200);
    const nodes = result.data!.residents.nodes;
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node.name).toEqual(expect.any(String));
      expect(node.careLevel).toBeNull();
    }
    // One error where each missing value would have been, not one for the whole response.
    expect(result.errors).toEqual(
      [0, 1, 2].map((i) => ({
        message: 'The grid service is unavailable',
        path: ['residents', 'nodes', i, 'careLevel'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'grid' },
      })),
    );
  });

  it('places the error at a root field the hung subgraph answers, and at fields under an alias and a fragment', async () => {
    const result = await stack.query<{ cell: unknown; residents: { nodes: { level: unknown }[] } }>(
      `query ($id: ID!) { cell: gridCell(id: $id) { name } residents(first: 1) { nodes { ... on Resident { level: careLevel } } } }`,
      { id: stack.county.cells[0]!.id },
    );
    expect(result.data).toEqual({ cell: null, residents: { nodes: [{ level: null }] } });
    expect(result.errors!.map((error) => error.path)).toEqual(expect.arrayContaining([['cell'], ['residents', 'nodes', 0, 'level']]));
    expect(result.errors).toHaveLength(2);
  });

  it('still answers a question the hung subgraph has no part in', async () => {
    const result = await stack.query<{ benefitSummary: { activeCount: number } }>(`{ benefitSummary(areaCode: "610921") { activeCount } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.benefitSummary.activeCount).toBeGreaterThan(0);
  });
});
