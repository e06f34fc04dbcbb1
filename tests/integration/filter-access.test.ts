import { startStack, type Stack } from './stack';

/**
 * Residents chosen by a non-public property (who receives a benefit, whose
 * name matches) are read even when only their ids come back: the record names
 * them, and it is committed before the answer leaves, so the steward finds it
 * at once.
 */
describe('a filter by a non-public field, as access to the residents it returns', () => {
  let stack: Stack;
  const steward = { as: { sub: 'steward-1', department: 'data-office', roles: ['steward'] }, purpose: 'supervision' };

  beforeAll(async () => {
    stack = await startStack({ residents: 300, seed: 67 });
  });
  afterAll(() => stack.stop());

  const historyOf = async (id: string) => {
    const result = await stack.query<{ accessHistory: { sub: string; purpose: string; subjects: { type: string; id: string }[] }[] }>(
      'query ($id: ID!) { accessHistory(subjectType: "Resident", subjectId: $id) { sub purpose subjects { type id } } }',
      { id },
      steward,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.accessHistory;
  };

  it('records the recipients a grid worker lists by benefit type, asking for ids alone, and the steward finds the record as soon as the answer arrives', async () => {
    const village = stack.county.villages[0]!.code;
    const worker = { sub: 'w-filter', department: 'grid', roles: ['grid_worker'], areas: [village] };
    const recipients = new Set(
      stack.county.benefits
        .filter((b) => b.areaCode === village && b.type === 'MINIMUM_LIVING_ALLOWANCE' && b.status === 'ACTIVE')
        .map((b) => b.residentId),
    );
    expect(recipients.size).toBeGreaterThan(0);
    const listed = await stack.query<{ residents: { nodes: { id: string }[] } }>(
      'query ($type: BenefitType) { residents(first: 100, filter: { benefitType: $type }) { nodes { id } } }',
      { type: 'MINIMUM_LIVING_ALLOWANCE' },
      { as: worker, purpose: 'assistance' },
    );
    expect(listed.errors).toBeUndefined();
    const ids = listed.data!.residents.nodes.map((node) => node.id);
    expect(new Set(ids)).toEqual(recipients);
    for (const id of ids) {
      const history = await historyOf(id);
      expect(history).toContainEqual({
        sub: 'w-filter',
        purpose: 'assistance',
        subjects: expect.arrayContaining([{ type: 'Resident', id }]),
      });
      expect(history.find((record) => record.sub === 'w-filter')!.subjects).toHaveLength(ids.length);
    }
  });

  it('records the residents a name filter returns, though the client asked only for their gender', async () => {
    const target = stack.county.residents[3]!;
    const officer = { sub: 'xf-filter', department: 'petitions', roles: ['officer'], areas: ['610921'] };
    // Petitions may see names raw for petition handling (G2), so it may filter by them.
    const result = await stack.query<{ residents: { nodes: Record<string, unknown>[] } }>(
      'query ($name: String) { residents(first: 5, filter: { name: $name }) { nodes { gender } } }',
      { name: target.name },
      { as: officer, purpose: 'petition_handling' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.residents.nodes).toContainEqual({ gender: target.gender });
    for (const node of result.data!.residents.nodes) expect(Object.keys(node)).toEqual(['gender']);
    expect(await historyOf(target.id)).toContainEqual({
      sub: 'xf-filter',
      purpose: 'petition_handling',
      subjects: expect.arrayContaining([{ type: 'Resident', id: target.id }]),
    });
  });

  it('records no subject when the filter is left null', async () => {
    const worker = { sub: 'w-nofilter', department: 'grid', roles: ['grid_worker'], areas: ['610921'] };
    const result = await stack.query<{ residents: { nodes: { id: string }[] } }>(
      'query ($type: BenefitType) { residents(first: 3, filter: { benefitType: $type }) { nodes { id } } }',
      { type: null },
      { as: worker, purpose: 'assistance', headers: { 'x-request-id': 'no-filter' } },
    );
    expect(result.errors).toBeUndefined();
    for (const { id } of result.data!.residents.nodes)
      expect((await historyOf(id)).map((record) => record.sub)).not.toContain('w-nofilter');
  });
});
