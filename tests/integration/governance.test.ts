import { startStack, type Stack } from './stack';

type Row = Record<string, unknown>;
const forbidden = (coordinate: string) => expect.objectContaining({ extensions: { code: 'FORBIDDEN_FIELD', coordinate } });

/** The sandbox's worked example of sharing, on the running stack with the sandbox grants G1–G5. */
describe('who sees what', () => {
  let stack: Stack;
  let village: string;
  let cellId: string;
  const residentsOfCell = () => {
    const ids = new Set(stack.county.registrations.filter((r) => r.cellId === cellId).map((r) => r.residentId));
    return stack.county.residents.filter((r) => ids.has(r.id));
  };
  const CELL = `query ($id: ID!) { gridCell(id: $id) { residents { id name phone idNumber birthDate benefits { type status monthlyAmount } petitions { content petitioner { id } } } } }`;
  const gridWorker = () => ({ department: 'grid', roles: ['grid_worker'], areas: [village] });

  beforeAll(async () => {
    stack = await startStack({ residents: 3000, seed: 29 });
    // A basic cell with a benefit recipient in it, so benefit fields are exercised.
    const recipient = stack.county.benefits.find((b) => stack.county.registrations.some((r) => r.residentId === b.residentId))!;
    const registration = stack.county.registrations.find((r) => r.residentId === recipient.residentId)!;
    cellId = registration.cellId;
    village = registration.areaCode;
  });
  afterAll(() => stack.stop());

  describe('a grid worker, purpose assistance', () => {
    it('receives names, phones and benefit types of residents in its cells, ID numbers masked, no amounts, no petitions', async () => {
      const result = await stack.query<{ gridCell: { residents: Row[] } }>(
        CELL,
        { id: cellId },
        { as: gridWorker(), purpose: 'assistance' },
      );
      const expected = residentsOfCell();
      const rows = result.data!.gridCell.residents;
      expect(rows).toHaveLength(expected.length);
      for (const row of rows) {
        const resident = expected.find((r) => r.id === row.id)!;
        expect(row.name).toBe(resident.name);
        expect(row.phone).toBe(resident.phone);
        expect(row.idNumber).toBe(`${resident.idNumber.slice(0, 6)}********${resident.idNumber.slice(14)}`);
        expect(row.birthDate).toBeNull();
        expect(row.petitions).toBeNull();
        const benefits = stack.county.benefits.filter((b) => b.residentId === resident.id);
        expect(row.benefits).toEqual(benefits.map((b) => ({ type: b.type, status: b.status, monthlyAmount: null })));
      }
      const codes = new Set(result.errors!.map((e) => e.extensions!.coordinate));
      expect(codes).toEqual(
        new Set([
          'Resident.birthDate',
          'Resident.petitions',
          ...(rows.some((r) => (r.benefits as Row[]).length) ? ['Benefit.monthlyAmount'] : []),
        ]),
      );
      expect(JSON.stringify(result)).not.toMatch(/\d{17}[\dX]/);
    });

    it('with purpose statistics, receives no personal field at all', async () => {
      const result = await stack.query<{ gridCell: { residents: Row[] } }>(
        CELL,
        { id: cellId },
        { as: gridWorker(), purpose: 'statistics' },
      );
      for (const row of result.data!.gridCell.residents) {
        expect(row).toEqual({
          id: expect.any(String),
          name: null,
          phone: null,
          idNumber: null,
          birthDate: null,
          benefits: null,
          petitions: null,
        });
      }
      expect(result.errors).toEqual(
        expect.arrayContaining([
          forbidden('Resident.name'),
          forbidden('Resident.phone'),
          forbidden('Resident.idNumber'),
          forbidden('Resident.benefits'),
        ]),
      );
    });
  });

  it('a civil-affairs officer sees its own data raw', async () => {
    const resident = residentsOfCell()[0]!;
    const result = await stack.query<{ resident: Row }>(
      'query ($id: ID!) { resident(id: $id) { name idNumber phone birthDate address benefits { monthlyAmount } } }',
      { id: resident.id },
      { as: { department: 'civil-affairs', roles: ['officer'], areas: [village] }, purpose: 'service' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.resident).toMatchObject({
      name: resident.name,
      idNumber: resident.idNumber,
      phone: resident.phone,
      birthDate: resident.birthDate,
      address: resident.address,
    });
  });

  it('a statistics analyst sees unconditional fields and aggregates only', async () => {
    const result = await stack.query<{ residents: { nodes: Row[] }; benefitSummary: { activeCount: number } }>(
      '{ benefitSummary(areaCode: "610921") { activeCount monthlyTotal } residents(first: 5) { totalCount nodes { id gender areaCode name phone } } }',
      undefined,
      { as: { department: 'statistics', roles: ['analyst'], areas: ['610921'] }, purpose: 'statistics' },
    );
    // Only groups (one village, one type) of five or more are counted for another department.
    const groups = new Map<string, number>();
    for (const b of stack.county.benefits.filter((b) => b.status === 'ACTIVE'))
      groups.set(`${b.areaCode}|${b.type}`, (groups.get(`${b.areaCode}|${b.type}`) ?? 0) + 1);
    expect(result.data!.benefitSummary.activeCount).toBe([...groups.values()].filter((n) => n >= 5).reduce((sum, n) => sum + n, 0));
    for (const row of result.data!.residents.nodes)
      expect(row).toEqual({ id: expect.any(String), gender: expect.any(String), areaCode: expect.any(String), name: null, phone: null });
    expect(new Set(result.errors!.map((e) => e.extensions!.coordinate))).toEqual(new Set(['Resident.name', 'Resident.phone']));
  });

  it('a data steward sees no personal data', async () => {
    const result = await stack.query<{ residents: { nodes: Row[] } }>(
      '{ residents(first: 3) { nodes { name idNumber phone address birthDate benefits { type } careLevel visits { id } petitions { subject } } } }',
      undefined,
      { as: { department: 'data-office', roles: ['steward'], areas: ['610921'] }, purpose: 'supervision' },
    );
    const nothing = {
      name: null,
      idNumber: null,
      phone: null,
      address: null,
      birthDate: null,
      benefits: null,
      careLevel: null,
      visits: null,
      petitions: null,
    };
    expect(result.data!.residents.nodes).toEqual([nothing, nothing, nothing]);
  });

  it('keeps each caller’s decisions when the same operation alternates between callers (plan cache)', async () => {
    const officer = { department: 'civil-affairs', roles: ['officer'], areas: [village] };
    const resident = residentsOfCell()[0]!;
    const QUERY = 'query ($id: ID!) { resident(id: $id) { name idNumber } }';
    for (let round = 0; round < 3; round += 1) {
      const asOfficer = await stack.query<{ resident: Row }>(QUERY, { id: resident.id }, { as: officer, purpose: 'service' });
      const asWorker = await stack.query<{ resident: Row }>(QUERY, { id: resident.id }, { as: gridWorker(), purpose: 'statistics' });
      const asAssisting = await stack.query<{ resident: Row }>(QUERY, { id: resident.id }, { as: gridWorker(), purpose: 'assistance' });
      expect(asOfficer.data!.resident).toEqual({ name: resident.name, idNumber: resident.idNumber });
      expect(asWorker.data!.resident).toEqual({ name: null, idNumber: null });
      expect(asAssisting.data!.resident).toEqual({ name: resident.name, idNumber: expect.stringMatching(/^\d{6}\*{8}[\dX]{4}$/) });
    }
  });

  it.each([
    ['_service', '{ _service { sdl } }'],
    ['_entities', '{ _entities(representations: [{ __typename: "Resident", id: "x" }]) { ... on Resident { name } } }'],
  ])('does not expose %s through the gateway', async (_name, query) => {
    const result = await stack.query(query);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a mutation to another department’s staff, and to the owner without the role', async () => {
    const input = { residentId: residentsOfCell()[0]!.id, type: 'DISABILITY_ALLOWANCE', monthlyAmount: 80, startDate: '2026-01-01' };
    const MUTATION = 'mutation ($input: GrantBenefitInput!) { grantBenefit(input: $input) { id } }';
    for (const as of [gridWorker(), { department: 'civil-affairs', roles: ['analyst'], areas: [village] }]) {
      const result = await stack.query(MUTATION, { input }, { as, purpose: 'assistance' });
      expect(result.status).toBe(403);
      expect(result.errors).toEqual([
        { message: 'Not permitted to call Mutation.grantBenefit', extensions: { code: 'FORBIDDEN_OPERATION' } },
      ]);
    }
  });
});

describe('aggregates over a few people', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 3000, seed: 73 });
  });
  afterAll(() => stack.stop());

  it('withhold the count and monthly total of fewer than five recipients from other departments, and leave them out of the totals', async () => {
    const active = stack.county.benefits.filter((b) => b.status === 'ACTIVE');
    const cells = new Map<string, number>();
    for (const b of active) cells.set(`${b.areaCode}|${b.type}`, (cells.get(`${b.areaCode}|${b.type}`) ?? 0) + 1);
    const [key] = [...cells].find(([, n]) => n > 0 && n < 5)!;
    const [village, type] = key.split('|') as [string, string];
    const QUERY = `query ($area: String!) { benefitSummary(areaCode: $area) { activeCount monthlyTotal withheldCells byType { type activeCount monthlyTotal } } }`;
    type Summary = {
      benefitSummary: {
        activeCount: number | null;
        monthlyTotal: number | null;
        withheldCells: number;
        byType: { type: string; activeCount: number | null; monthlyTotal: number | null }[];
      };
    };
    const analyst = await stack.query<Summary>(
      QUERY,
      { area: village },
      { as: { department: 'statistics', roles: ['analyst'] }, purpose: 'statistics' },
    );
    const summary = analyst.data!.benefitSummary;
    expect(summary.byType.find((t) => t.type === type)).toEqual({ type, activeCount: null, monthlyTotal: null });
    expect(summary.withheldCells).toBe(summary.byType.filter((t) => t.activeCount === null).length);
    expect(summary.activeCount).toBe(summary.byType.reduce((sum, t) => sum + (t.activeCount ?? 0), 0));
    expect(summary.monthlyTotal).toBe(summary.byType.reduce((sum, t) => sum + (t.monthlyTotal ?? 0), 0));
    const officer = await stack.query<Summary>(QUERY, { area: village }, { as: { department: 'civil-affairs', roles: ['officer'] } });
    const own = officer.data!.benefitSummary.byType.find((t) => t.type === type)!;
    expect(own.monthlyTotal).toBeCloseTo(
      active.filter((b) => b.areaCode === village && b.type === type).reduce((sum, b) => sum + b.monthlyAmount, 0),
      2,
    );
  });
});

describe('filters that would reveal a field', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 300, seed: 53 });
  });
  afterAll(() => stack.stop());

  const analyst = { as: { department: 'statistics', roles: ['analyst'] }, purpose: 'statistics' };
  const petitionsOfficer = { as: { department: 'petitions', roles: ['officer'] }, purpose: 'petition_handling' };
  const gridWorker = { as: { department: 'grid', roles: ['grid_worker'] }, purpose: 'assistance' };
  const officer = { as: { department: 'civil-affairs', roles: ['officer'] }, purpose: 'service' };
  const BY_NAME = 'query ($name: String) { residents(filter: { name: $name }) { totalCount nodes { id } } }';
  const BY_BENEFIT = '{ residents(filter: { benefitType: MINIMUM_LIVING_ALLOWANCE }) { totalCount } }';

  it.each([
    ['a statistics analyst by name (literal)', '{ residents(filter: { name: "王" }) { totalCount } }', undefined, analyst, 'Resident.name'],
    ['a statistics analyst by name (variable)', BY_NAME, { name: '王' }, analyst, 'Resident.name'],
    ['a petitions officer by benefit type', BY_BENEFIT, undefined, petitionsOfficer, 'Resident.benefits, Benefit.type'],
    ['a grid worker by name for statistics', BY_NAME, { name: '王' }, { ...gridWorker, purpose: 'statistics' }, 'Resident.name'],
  ])('refuses %s with FORBIDDEN_FIELD', async (_case, query, variables, options, coordinates) => {
    const result = await stack.query(query, variables, options);
    expect(result.status).toBe(403);
    expect(result.errors).toEqual([{ message: `Not permitted to filter by ${coordinates}`, extensions: { code: 'FORBIDDEN_FIELD' } }]);
  });

  it.each([
    ['the owning department', BY_NAME, { name: '王' }, officer],
    ['a grid worker by name, under G1', BY_NAME, { name: '王' }, gridWorker],
    ['a grid worker by benefit type, under G1', BY_BENEFIT, undefined, gridWorker],
    ['an analyst whose name filter is not set', BY_NAME, { name: null }, analyst],
  ])('allows %s', async (_case, query, variables, options) => {
    const result = await stack.query(query, variables, options);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });

  it('applies a variable’s default when deciding what was asked for', async () => {
    const result = await stack.query(
      'query ($x: Boolean = true) { residents(first: 1) { nodes { phone @include(if: $x) } } }',
      {},
      analyst,
    );
    expect(result.data).toEqual({ residents: { nodes: [{ phone: null }] } });
    expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN_FIELD', coordinate: 'Resident.phone' } })]);
  });
});

describe('strict mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 200, seed: 31, strict: true });
  });
  afterAll(() => stack.stop());

  it('refuses the whole operation when it selects a denied field', async () => {
    const result = await stack.query('{ residents(first: 2) { nodes { id name } } }', undefined, {
      as: { department: 'statistics', roles: ['analyst'] },
      purpose: 'statistics',
    });
    expect(result.status).toBe(403);
    expect(result.errors).toEqual([{ message: 'Not permitted to see Resident.name', extensions: { code: 'FORBIDDEN_FIELD' } }]);
    expect(result.data).toBeUndefined();
  });

  it('answers an operation whose every field is allowed', async () => {
    const result = await stack.query('{ residents(first: 2) { nodes { id gender } } }', undefined, {
      as: { department: 'statistics', roles: ['analyst'] },
      purpose: 'statistics',
    });
    expect(result.errors).toBeUndefined();
  });
});
