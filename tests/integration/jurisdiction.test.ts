import { expectRefused } from './expect-error';
import { startStack, type Stack } from './stack';

/** Subgraphs return only records inside the caller's areas, in SQL, wherever the records are reached. */
describe('jurisdiction', () => {
  let stack: Stack;
  let township: string;
  let outsider: { id: string; areaCode: string };
  const inside = (code: string) => code.startsWith(township);
  const asTownship = () => ({ as: { department: 'grid', roles: ['grid_worker'], areas: [township] }, purpose: 'assistance' });

  beforeAll(async () => {
    // Whole villages' residents in one operation: far over the default cost budget, which is not what this file is about.
    stack = await startStack({ residents: 3000, seed: 23, costBudgets: { '*': Number.MAX_SAFE_INTEGER } });
    township = stack.county.villages[1]!.code.slice(0, 9);
    outsider = stack.county.residents.find((r) => !inside(r.areaCode))!;
  });
  afterAll(() => stack.stop());

  it('limits lists and their totals to the caller’s areas', async () => {
    const result = await stack.query<{ residents: { totalCount: number; nodes: { areaCode: string }[] } }>(
      '{ residents(first: 100) { totalCount nodes { areaCode } } }',
      undefined,
      asTownship(),
    );
    expect(result.data!.residents.totalCount).toBe(stack.county.residents.filter((r) => inside(r.areaCode)).length);
    expect(result.data!.residents.nodes.length).toBeGreaterThan(0);
    expect(result.data!.residents.nodes.every((n) => inside(n.areaCode))).toBe(true);
  });

  it('answers a lookup outside the areas with null, as if the record did not exist', async () => {
    const result = await stack.query('query ($id: ID!) { resident(id: $id) { id } }', { id: outsider.id }, asTownship());
    expect(result).toMatchObject({ status: 200, data: { resident: null } });
    expect(result.errors).toBeUndefined();
  });

  it('limits nested lists and the records of other departments reached through them', async () => {
    const result = await stack.query<{
      gridCells: { nodes: { areaCode: string; residents: { id: string; areaCode: string; petitions: { areaCode: string }[] }[] }[] };
    }>(
      '{ gridCells(first: 100, filter: { level: 3 }) { nodes { areaCode residents(first: 500) { id areaCode petitions { areaCode } } } } }',
      undefined,
      { ...asTownship(), purpose: 'petition_handling' },
    );
    expect(result.errors).toBeUndefined();
    const cells = result.data!.gridCells.nodes;
    // Every basic cell of the township, each holding fewer residents than its list's bound.
    expect(cells.length).toBe(stack.county.cells.filter((c) => c.level === 3 && inside(c.areaCode)).length);
    const residents = cells.flatMap((c) => c.residents);
    expect(residents.length).toBe(stack.county.residents.filter((r) => inside(r.areaCode)).length);
    expect(residents.every((r) => inside(r.areaCode) && r.petitions.every((p) => inside(p.areaCode)))).toBe(true);
  });

  it('answers an entity reference outside the areas with null', async () => {
    const result = await stack.querySubgraphSigned<{ _entities: unknown[] }>(
      stack.subgraphs['civil-affairs'].url,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id name } } }',
      { r: [{ __typename: 'Resident', id: outsider.id }] },
      { areas: [township] },
    );
    expect(result.data).toEqual({ _entities: [null] });
  });

  it('counts aggregates over the caller’s areas only', async () => {
    // As the owning departments' staff of the township, who see exact figures.
    const [benefits, petitions] = await Promise.all(
      (['civil-affairs', 'petitions'] as const).map((department) =>
        stack.query<{ benefitSummary: { activeCount: number }; petitionStats: { total: number } }>(
          '{ benefitSummary(areaCode: "610921") { activeCount } petitionStats(areaCode: "610921") { total } }',
          undefined,
          { as: { department, roles: ['officer'], areas: [township] } },
        ),
      ),
    );
    expect(benefits!.data!.benefitSummary.activeCount).toBe(
      stack.county.benefits.filter((b) => b.status === 'ACTIVE' && inside(b.areaCode)).length,
    );
    expect(petitions!.data!.petitionStats.total).toBe(stack.county.petitions.filter((p) => inside(p.areaCode)).length);
  });

  it('sees the union of several areas', async () => {
    const [a, b] = [stack.county.villages[0]!.code, stack.county.villages[2]!.code];
    const result = await stack.query<{ residents: { totalCount: number } }>('{ residents { totalCount } }', undefined, {
      as: { areas: [a, b] },
    });
    expect(result.data!.residents.totalCount).toBe(stack.county.residents.filter((r) => r.areaCode === a || r.areaCode === b).length);
  });

  it('refuses to create a record outside the areas', async () => {
    const petitioner = stack.county.residents.find((r) => inside(r.areaCode))!;
    const input = {
      petitionerId: petitioner.id,
      channel: 'VISIT',
      category: 'OTHER',
      subject: '来访',
      content: '内容',
      areaCode: outsider.areaCode,
    };
    expectRefused(
      await stack.query(
        'mutation ($input: SubmitPetitionInput!) { submitPetition(input: $input) { id } }',
        { input },
        {
          as: { department: 'petitions', roles: ['officer'], areas: [township] },
        },
      ),
      'FORBIDDEN_OPERATION',
      /areaCode is outside your jurisdiction/,
    );
  });

  it('cannot change a record outside the areas, and does not reveal that it exists', async () => {
    const benefit = stack.county.benefits.find((b) => b.status === 'ACTIVE' && !inside(b.areaCode))!;
    expectRefused(
      await stack.query(
        'mutation ($id: ID!) { endBenefit(id: $id, endDate: "2026-10-31") { id } }',
        { id: benefit.id },
        {
          as: { department: 'civil-affairs', roles: ['officer'], areas: [township] },
        },
      ),
      'BAD_USER_INPUT',
      /id does not name a benefit/,
    );
    const [row] = await stack.dataSource('civil-affairs').query('SELECT status FROM benefit WHERE id = ?', [benefit.id]);
    expect(row.status).toBe('ACTIVE');
  });
});
