import { sandboxGrants } from '../../gateway/access/grants';
import type { Grant } from '../../gateway/access/policy';
import type { EmploymentRow, PensionPaymentRow } from '../../synth/social-security.part';
import { expectRefused } from './expect-error';
import { startStack, type Stack } from './stack';

type Row = Record<string, unknown>;
const forbidden = (coordinate: string, path: (string | number)[]) =>
  expect.objectContaining({ path, extensions: { code: 'FORBIDDEN_FIELD', coordinate } });

/** For the per-type test: the grid may see a resident's employment record through the interface, not its pensions. */
const EMPLOYMENT_ONLY: Grant = {
  id: 'TEST-EMPLOYMENT-ONLY',
  consumer: 'grid',
  fields: ['Resident.socialSecurityRecords', 'Employment.at', 'Employment.areaCode', 'Employment.status'],
  purposes: ['assistance'],
  masked: [],
  validFrom: '2000-01-01T00:00:00.000Z',
  validUntil: '2100-01-01T00:00:00.000Z',
};

const MEANS_CHECK = `query MeansCheck($id: ID!) {
  household(id: $id) {
    members {
      id name
      benefits { type status }
      employment { status since employerName }
      pensions { month amount }
    }
  }
}`;

/** 人社 social security served through the gateway, with the sandbox grants (G5 for civil affairs' means check). */
describe('social security through the gateway', () => {
  let stack: Stack;
  const officer = { as: { department: 'civil-affairs', roles: ['officer'] }, purpose: 'assistance' };
  const employmentOf = (id: string): EmploymentRow | undefined => stack.county.employments.find((e) => e.residentId === id);
  const pensionsOf = (id: string): PensionPaymentRow[] =>
    stack.county.pensionPayments.filter((p) => p.residentId === id).sort((a, b) => b.month.localeCompare(a.month));

  beforeAll(async () => {
    stack = await startStack({ residents: 2000, seed: 13, grants: [...sandboxGrants(new Date(Date.now() - 86_400_000)), EMPLOYMENT_ONLY] });
  });
  afterAll(() => stack.stop());

  /** A household with a member on 低保 and a retiree with pensions: the case a means check is for. */
  const meansCheckHousehold = () =>
    stack.county.households.find((h) => {
      const members = stack.county.residents.filter((r) => r.householdId === h.id);
      const onAllowance = members.some((m) =>
        stack.county.benefits.some((b) => b.residentId === m.id && b.type === 'MINIMUM_LIVING_ALLOWANCE'),
      );
      return onAllowance && members.some((m) => pensionsOf(m.id).length > 0) && members.some((m) => employmentOf(m.id)?.employerName);
    })!;

  it('answers civil affairs’ means check for assistance: employment status and since, pensions by month and amount, never the employer', async () => {
    const household = meansCheckHousehold();
    const result = await stack.query<{ household: { members: Row[] } }>(MEANS_CHECK, { id: household.id }, officer);
    const members = result.data!.household.members;
    const expected = stack.county.residents.filter((r) => r.householdId === household.id);
    expect(members.map((m) => m.id).sort()).toEqual(expected.map((r) => r.id).sort());
    for (const member of members) {
      const id = member.id as string;
      const employment = employmentOf(id);
      expect(member).toEqual({
        id,
        name: expected.find((r) => r.id === id)!.name,
        benefits: stack.county.benefits.filter((b) => b.residentId === id).map((b) => ({ type: b.type, status: b.status })),
        employment: employment ? { status: employment.status, since: employment.since, employerName: null } : null,
        pensions: pensionsOf(id).map((p) => ({ month: p.month, amount: p.amount })),
      });
    }
    const withEmployment = members.flatMap((m, i) => (m.employment ? [i] : []));
    expect(result.errors).toEqual(
      withEmployment.map((i) => forbidden('Employment.employerName', ['household', 'members', i, 'employment', 'employerName'])),
    );
  });

  it('refuses Resident.employment to a grid worker: null there, with the path and coordinate', async () => {
    const resident = stack.county.employments[0]!;
    const result = await stack.query<{ resident: Row }>(
      'query ($id: ID!) { resident(id: $id) { id employment { status } } }',
      { id: resident.residentId },
      { as: { department: 'grid', roles: ['grid_worker'] }, purpose: 'assistance' },
    );
    expect(result.data).toEqual({ resident: { id: resident.residentId, employment: null } });
    expect(result.errors).toEqual([forbidden('Resident.employment', ['resident', 'employment'])]);
  });

  it('decides socialSecurityRecords per concrete type: employment records answered, pension payments null with FORBIDDEN_FIELD', async () => {
    const retiree = stack.county.employments.find((e) => e.status === 'RETIRED' && pensionsOf(e.residentId).length >= 2)!;
    const result = await stack.query<{ resident: { socialSecurityRecords: Row[] } }>(
      `query ($id: ID!) { resident(id: $id) { socialSecurityRecords {
        __typename at areaCode ... on Employment { status } ... on PensionPayment { month amount } } } }`,
      { id: retiree.residentId },
      { as: { department: 'grid', roles: ['grid_worker'] }, purpose: 'assistance', headers: { 'x-request-id': 'per-type' } },
    );
    // The pension payments' fields were never asked of social security.
    const sent = stack.sentFor('per-type').join('\n');
    expect(sent).toContain('socialSecurityRecords');
    expect(sent).not.toMatch(/month|amount|on PensionPayment/);
    const records = [
      ...pensionsOf(retiree.residentId).map((p) => ({
        at: p.paidOn,
        expected: { __typename: 'PensionPayment', at: null, areaCode: null, month: null, amount: null },
      })),
      { at: retiree.since, expected: { __typename: 'Employment', at: retiree.since, areaCode: retiree.areaCode, status: 'RETIRED' } },
    ].sort((a, b) => b.at.localeCompare(a.at));
    expect(result.data!.resident.socialSecurityRecords).toEqual(records.map((r) => r.expected));
    const pensionAt = records.flatMap((r, i) => (r.expected.__typename === 'PensionPayment' ? [i] : []));
    expect(result.errors).toEqual(
      expect.arrayContaining(
        pensionAt.flatMap((i) =>
          ['at', 'areaCode', 'month', 'amount'].map((field) =>
            forbidden(`PensionPayment.${field}`, ['resident', 'socialSecurityRecords', i, field]),
          ),
        ),
      ),
    );
    expect(result.errors).toHaveLength(pensionAt.length * 4);
  });

  it('counts residents by employment status, matching the generator’s data, for any caller', async () => {
    const township = stack.county.villages[1]!.code.slice(0, 9);
    const result = await stack.query<{ socialSecuritySummary: { total: number; byStatus: { status: string; count: number }[] } }>(
      'query ($area: String!) { socialSecuritySummary(areaCode: $area) { areaCode total byStatus { status count } } }',
      { area: township },
      { as: { department: 'statistics', roles: ['analyst'] }, purpose: 'statistics' },
    );
    const inside = stack.county.employments.filter((e) => e.areaCode.startsWith(township));
    expect(result.errors).toBeUndefined();
    expect(result.data!.socialSecuritySummary).toEqual({
      areaCode: township,
      total: inside.length,
      byStatus: ['EMPLOYED', 'UNEMPLOYED_REGISTERED', 'RETIRED', 'FLEXIBLE'].map((status) => ({
        status,
        count: inside.filter((e) => e.status === status).length,
      })),
    });
  });

  it('counts only the caller’s areas, and refuses an area that is not a prefix as the other summaries do', async () => {
    const village = stack.county.villages[0]!.code;
    const elsewhere = stack.county.villages[2]!.code;
    const summary = (area: string) =>
      stack.query<{ socialSecuritySummary: { total: number } }>(
        'query ($area: String!) { socialSecuritySummary(areaCode: $area) { total } }',
        { area },
        { as: { department: 'statistics', roles: ['analyst'], areas: [village] }, purpose: 'statistics' },
      );
    expect((await summary('610921')).data!.socialSecuritySummary.total).toBe(
      stack.county.employments.filter((e) => e.areaCode === village).length,
    );
    expect((await summary(elsewhere)).data!.socialSecuritySummary.total).toBe(0);
    expectRefused(await summary('county'), 'BAD_USER_INPUT', /areaCode must be an area-code prefix of 2 to 12 digits/);
  });

  describe('outside the caller’s areas', () => {
    const township = () => stack.county.villages[1]!.code.slice(0, 9);
    const outsider = () => stack.county.employments.find((e) => e.status === 'RETIRED' && !e.areaCode.startsWith(township()))!;
    const insider = () => stack.county.employments.find((e) => e.status === 'RETIRED' && e.areaCode.startsWith(township()))!;
    const entities = (representations: Row[]) =>
      stack.querySubgraphSigned<{ _entities: Row[] }>(
        stack.subgraphs['social-security']!.url,
        `query ($r: [_Any!]!) { _entities(representations: $r) {
          ... on Resident { id employment { id status } pensions { id month } socialSecurityRecords { __typename } }
          ... on Employment { id status } ... on PensionPayment { id amount } } }`,
        { r: representations },
        { areas: [township()] },
      );

    it('gives a resident reference no employment, pensions or records, and one inside them its own', async () => {
      const [outside, inside] = [outsider(), insider()];
      const result = await entities([
        { __typename: 'Resident', id: outside.residentId },
        { __typename: 'Resident', id: inside.residentId },
      ]);
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities[0]).toEqual({ id: outside.residentId, employment: null, pensions: [], socialSecurityRecords: [] });
      expect(result.data!._entities[1]).toMatchObject({
        id: inside.residentId,
        employment: { id: inside.id, status: 'RETIRED' },
        pensions: pensionsOf(inside.residentId).map((p) => ({ id: p.id, month: p.month })),
      });
    });

    it('answers a reference to an employment record or a payment outside them with null', async () => {
      const [outside, inside] = [outsider(), insider()];
      const result = await entities([
        { __typename: 'Employment', id: outside.id },
        { __typename: 'PensionPayment', id: pensionsOf(outside.residentId)[0]!.id },
        { __typename: 'Employment', id: inside.id },
      ]);
      expect(result.data!._entities).toEqual([null, null, { id: inside.id, status: 'RETIRED' }]);
    });

    it('never lists them through the gateway either', async () => {
      const result = await stack.query<{ residents: { nodes: { areaCode: string; employment: Row | null; pensions: Row[] }[] } }>(
        '{ residents(first: 100) { nodes { areaCode employment { status } pensions { month } } } }',
        undefined,
        { as: { department: 'civil-affairs', roles: ['officer'], areas: [township()] }, purpose: 'assistance' },
      );
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.residents.nodes;
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => n.areaCode.startsWith(township()))).toBe(true);
      expect(nodes.some((n) => n.employment)).toBe(true);
    });
  });
});
