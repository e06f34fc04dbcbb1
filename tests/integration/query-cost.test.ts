import { waitFor } from '../helpers/wait-for';
import { GRID_WORKER, startStack, type Stack } from './stack';

/**
 * The operations that took a subgraph down, as a grid worker sent them: each
 * is now refused before anything is planned or fetched, with its estimate
 * and the budget, and the refusal is audited. A village's residents come in
 * a bounded list.
 */
describe('operations over the cost budget', () => {
  let stack: Stack;
  const worker = { as: GRID_WORKER, purpose: 'assistance' };
  beforeAll(async () => {
    stack = await startStack({ residents: 1500, seed: 12 });
  });
  afterAll(() => stack.stop());

  const sentFor = (requestId: string) => stack.sentFor(requestId).length;

  it.each([
    ['the 101-byte household walk', '{gridCells(first:100){nodes{residents{household{members{name benefits{type}}}}}}}'],
    ['the 120-byte walk up and down the grid', '{gridCells(first:100){nodes{residents{gridCell{parent{parent{residents{id}}}}}}}}'],
    [
      'four aliases of the walk',
      `{ ${[1, 2, 3, 4].map((i) => `a${i}: gridCells(first:100){nodes{residents{household{members{name}}}}}`).join(' ')} }`,
    ],
    ['1,000 aliased counts', `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: residents(first: 1) { totalCount }`).join(' ')} }`],
  ])('refuses %s with QUERY_TOO_COMPLEX, fetching nothing', async (_name, query) => {
    const requestId = `cost-${_name.length}`;
    const result = await stack.query(query, undefined, { ...worker, headers: { 'x-request-id': requestId } });
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      expect.objectContaining({
        extensions: { code: 'QUERY_TOO_COMPLEX', estimate: expect.any(Number), budget: 15_000 },
      }),
    ]);
    const { estimate, budget } = result.errors![0]!.extensions as { estimate: number; budget: number };
    expect(estimate).toBeGreaterThan(budget);
    expect(sentFor(requestId)).toBe(0);
  });

  it('audits the refusal', async () => {
    await stack.query('{gridCells(first:100){nodes{residents{household{members{name}}}}}}', undefined, {
      ...worker,
      headers: { 'x-request-id': 'cost-audited' },
    });
    // A refusal's record is written without the refused client waiting for it.
    const records = async () =>
      (
        await stack.query<{ auditEvents: { nodes: { clientRequestId: string; outcome: string; status: number }[] } }>(
          `{ auditEvents(filter: { department: "grid" }, first: 20) { nodes { clientRequestId outcome status } } }`,
          undefined,
          { as: { sub: 'steward-1', department: 'data-office', roles: ['steward'] }, purpose: 'supervision' },
        )
      ).data!.auditEvents.nodes;
    await waitFor(async () => (await records()).some((record) => record.clientRequestId === 'cost-audited'), {
      what: 'the refusal’s audit record',
    });
    expect(await records()).toContainEqual({ clientRequestId: 'cost-audited', outcome: 'refused', status: 400 });
  });

  it('answers what a grid worker needs: its cell with its residents, a page of 100', async () => {
    const cell = stack.county.cells.find((c) => c.level === 3)!;
    const result = await stack.query<{ gridCell: { residents: { id: string }[] } }>(
      `query ($id: ID!) { gridCell(id: $id) { name worker { name } residents { id name benefits { type } } } }`,
      { id: cell.id },
      worker,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.gridCell.residents.length).toBeGreaterThan(0);
    const page = await stack.query('{ residents(first: 100) { totalCount nodes { name gridCell { name } } } }', undefined, worker);
    expect(page.errors).toBeUndefined();
  });

  it('gives a cell at most `first` residents (200 by default, 500 at most), the first by id', async () => {
    const village = stack.county.cells.find((c) => c.level === 1)!;
    const under = stack.county.residents.filter((r) => r.areaCode.startsWith(village.areaCode)).length;
    expect(under).toBeGreaterThan(100);
    const all = await stack.query<{ gridCell: { residents: { id: string }[] } }>(
      `query ($id: ID!) { gridCell(id: $id) { residents(first: 100) { id } } }`,
      { id: village.id },
    );
    expect(all.errors).toBeUndefined();
    const ids = all.data!.gridCell.residents.map((r) => r.id);
    expect(ids).toHaveLength(100);
    const byDefault = await stack.query<{ gridCell: { residents: { id: string }[] } }>(
      `query ($id: ID!) { gridCell(id: $id) { residents { id } } }`,
      { id: village.id },
    );
    expect(byDefault.data!.gridCell.residents).toHaveLength(Math.min(200, under));
    expect(ids).toEqual([...ids].sort());
    const few = await stack.query<{ gridCell: { residents: { id: string }[] } }>(
      `query ($id: ID!) { gridCell(id: $id) { residents(first: 3) { id } } }`,
      { id: village.id },
    );
    expect(few.data!.gridCell.residents.map((r) => r.id)).toEqual(ids.slice(0, 3));
    const tooMany = await stack.query(`query ($id: ID!) { gridCell(id: $id) { residents(first: 501) { id } } }`, { id: village.id });
    expect(tooMany.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  });
});
