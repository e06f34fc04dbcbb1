import { startStack, grantsWithSupervision, type Stack } from './stack';

/**
 * No N+1: every entity lookup is batched per request, so the number of SQL
 * statements a request causes across all subgraphs does not depend on how
 * many residents the page holds.
 */
const PAGE = `query Page($first: Int!) {
  residents(filter: { areaCode: "610921" }, first: $first) {
    totalCount
    nodes {
      id name
      household { id address head { id name } members { id } }
      benefits { type status monthlyAmount }
      gridCell { id name worker { id name } parent { id } }
      careLevel
      visits { id visitedAt }
      petitions { id status subject gridCell { id } }
      employment { status since }
      pensions { month amount }
    }
  }
}`;

describe('SQL statements per request', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A civil-affairs officer who, for supervision, may read the other departments' fields of a resident.
    stack = await startStack({ residents: 3000, seed: 5, purpose: 'supervision', grants: grantsWithSupervision() });
  });
  afterAll(() => stack.stop());

  async function statementsFor(first: number): Promise<{ statements: number; residents: number; related: number }> {
    const before = stack.statements();
    const result = await stack.query<{
      residents: {
        nodes: { petitions: unknown[]; benefits: unknown[]; visits: unknown[]; pensions: unknown[]; household: { members: unknown[] } }[];
      };
    }>(PAGE, { first });
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.residents.nodes;
    return {
      statements: stack.statements() - before,
      residents: nodes.length,
      related: nodes.reduce(
        (n, node) =>
          n + node.petitions.length + node.benefits.length + node.visits.length + node.pensions.length + node.household.members.length,
        0,
      ),
    };
  }

  it('are the same for 10 and for 100 residents with household, benefits, gridCell, petitions, employment and pensions', async () => {
    const small = await statementsFor(10);
    const large = await statementsFor(100);
    expect(small.residents).toBe(10);
    expect(large.residents).toBe(100);
    // The large page really does reach more related records, so batching is what keeps the count flat.
    expect(large.related).toBeGreaterThan(5 * small.related);
    expect(large.statements).toBe(small.statements);
  });

  it('is a small constant: one statement per list, per count and per batched relation', async () => {
    const { statements } = await statementsFor(50);
    // residents + count, households, heads, members, benefits (civil affairs);
    // registrations, cells, workers, parents, visits (grid); petitions, village cells;
    // employment, pensions and the accepted nonce its replay guard keeps in SQL (social security).
    expect(statements).toBeLessThanOrEqual(17);
  });
});
