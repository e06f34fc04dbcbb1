import { buildSchema, parse, print, validate } from 'graphql';
import { applyShape, deniedCoordinates } from '../../../gateway/access/apply-shape';
import { filterOperation, type Decide } from '../../../gateway/access/filter-operation';
import { PLACEHOLDER } from '../../../gateway/access/shape';
import { createMaskers } from '../../../gateway/access/maskers';
import { operationDepth } from '../../../gateway/access/complexity';
import type { Decision } from '../../../gateway/access/policy';

const schema = buildSchema(`
  type Query { resident(id: ID!): Resident residents(first: Int): [Resident!]! summary(area: String!): Summary! }
  type Mutation { registerResident(name: String!): Resident endBenefit(id: ID!): Benefit }
  type Summary { count: Int! }
  type Resident { id: ID! name: String idNumber: String phone(format: String): String benefits(status: String): [Benefit!] household: Household }
  type Household { id: ID! address: String }
  type Benefit { type: String monthlyAmount: Float }
`);

const RULES: Record<string, Decision> = {
  'Resident.idNumber': { action: 'MASK', reason: 'GRANTED', masker: 'ID_NUMBER', grant: 'G1' },
  'Resident.phone': { action: 'DENY', reason: 'NO_GRANT' },
  'Benefit.monthlyAmount': { action: 'DENY', reason: 'NOT_SHARED' },
  'Household.id': { action: 'DENY', reason: 'NO_GRANT' },
  'Household.address': { action: 'DENY', reason: 'NO_GRANT' },
  'Mutation.endBenefit': { action: 'DENY', reason: 'MUTATION_NOT_ALLOWED' },
};
const decide: Decide = (coordinate) => RULES[coordinate] ?? { action: 'ALLOW', reason: 'UNCONDITIONAL' };
const maskers = createMaskers(Buffer.alloc(32));

function run(query: string, operationName?: string) {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const filtered = filterOperation(schema, document, operationName, decide)!;
  // The filtered operation is itself valid: the planner gets a document it can plan.
  expect(validate(schema, filtered.document)).toEqual([]);
  return { ...filtered, text: print(filtered.document) };
}

describe('filtering an operation before planning', () => {
  it('removes denied fields and keeps allowed and masked ones', () => {
    const { text, decisions } = run('{ residents { id name idNumber phone benefits { type monthlyAmount } } }');
    expect(text).toContain('idNumber');
    expect(text).not.toMatch(/phone|monthlyAmount/);
    expect(decisions.get('Resident.phone')).toEqual({ action: 'DENY', reason: 'NO_GRANT' });
  });

  it.each([
    ['an alias', '{ residents { mobile: phone } }'],
    ['a named fragment', 'query { residents { ...F } } fragment F on Resident { phone }'],
    ['an inline fragment', '{ residents { ... on Resident { phone } } }'],
    ['@include', 'query ($yes: Boolean!) { residents { phone @include(if: $yes) } }'],
    ['@skip', '{ residents { phone @skip(if: false) } }'],
    ['a nested hop', '{ resident(id: "1") { household { address } } }'],
    ['an alias named __proto__', '{ residents { __proto__: phone } }'],
    ['an alias that looks like an allowed field', '{ residents { name: phone } }'],
  ])('does not let %s change a decision', (_case, query) => {
    const { text } = run(query);
    expect(text).not.toMatch(/phone|address/);
  });

  it('inlines fragments so none is left unused', () => {
    const { text } = run('query { residents { ...F } } fragment F on Resident { phone }');
    expect(text).not.toContain('fragment');
  });

  it('keeps a parent whose every field was denied, with a placeholder', () => {
    const { text, shape } = run('{ resident(id: "1") { household { id address } } }');
    expect(text).toContain(`${PLACEHOLDER}: __typename`);
    const household = shape.fields.get('resident');
    expect(household?.kind === 'keep' && household.children?.fields.get('household')).toMatchObject({
      kind: 'keep',
      children: { placeholder: true },
    });
  });

  it('drops variables that only denied fields used', () => {
    const { text } = run('query ($format: String, $n: Int) { residents(first: $n) { id phone(format: $format) } }');
    expect(text).toContain('$n: Int');
    expect(text).not.toContain('$format');
  });

  it('keeps __typename without a decision', () => {
    const { text, decisions } = run('{ residents { __typename phone } }');
    expect(text).toContain('__typename');
    expect([...decisions.keys()]).not.toContain('Resident.__typename');
  });

  it('reports root mutations the caller may not call', () => {
    expect(run('mutation { registerResident(name: "x") { id } endBenefit(id: "1") { type } }').forbiddenMutations).toEqual([
      'Mutation.endBenefit',
    ]);
  });

  it('lists each denied coordinate once for strict mode', () => {
    const { shape } = run('{ a: residents { phone } b: residents { phone benefits { monthlyAmount } } }');
    expect(deniedCoordinates(shape).sort()).toEqual(['Benefit.monthlyAmount', 'Resident.phone']);
  });
});

describe('shaping the response', () => {
  it('puts null and one FORBIDDEN_FIELD error at every denied path, masks, and removes placeholders', () => {
    const { shape } = run('{ residents { id idNumber mobile: phone household { address } benefits { type monthlyAmount } } }');
    const data = {
      residents: [
        { id: '1', idNumber: '61092119880314124X', household: { [PLACEHOLDER]: 'Household' }, benefits: [{ type: 'A' }] },
        { id: '2', idNumber: '110105194912310021', household: null, benefits: [] },
      ],
    };
    const { errors } = applyShape(data, shape, undefined, maskers);
    expect(data).toEqual({
      residents: [
        {
          id: '1',
          idNumber: '610921********124X',
          mobile: null,
          household: { address: null },
          benefits: [{ type: 'A', monthlyAmount: null }],
        },
        { id: '2', idNumber: '110105********0021', mobile: null, household: null, benefits: [] },
      ],
    });
    expect(errors).toEqual([
      {
        message: 'Not permitted to see Resident.phone',
        path: ['residents', 0, 'mobile'],
        extensions: { code: 'FORBIDDEN_FIELD', coordinate: 'Resident.phone' },
      },
      {
        message: 'Not permitted to see Household.address',
        path: ['residents', 0, 'household', 'address'],
        extensions: { code: 'FORBIDDEN_FIELD', coordinate: 'Household.address' },
      },
      {
        message: 'Not permitted to see Benefit.monthlyAmount',
        path: ['residents', 0, 'benefits', 0, 'monthlyAmount'],
        extensions: { code: 'FORBIDDEN_FIELD', coordinate: 'Benefit.monthlyAmount' },
      },
      {
        message: 'Not permitted to see Resident.phone',
        path: ['residents', 1, 'mobile'],
        extensions: { code: 'FORBIDDEN_FIELD', coordinate: 'Resident.phone' },
      },
    ]);
  });

  it.each([
    [true, 1],
    [false, 0],
  ])('answers a denied field under @include(if: %s) only when it was asked for', (include, expected) => {
    const { shape } = run('query ($yes: Boolean!) { residents { phone @include(if: $yes) } }');
    const data = { residents: [{}] as Record<string, unknown>[] };
    expect(applyShape(data, shape, { yes: include }, maskers).errors).toHaveLength(expected);
    expect('phone' in data.residents[0]!).toBe(include);
  });

  it('writes a __proto__ response key as data, never as the prototype', () => {
    const { shape } = run('{ residents { __proto__: phone } }');
    const row = {} as Record<string, unknown>;
    applyShape({ residents: [row] }, shape, undefined, maskers);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(row, '__proto__')).toBe(true);
  });
});

describe('data subjects for the audit', () => {
  const isPublic = (coordinate: string) =>
    ['Resident.id', 'Resident.benefits', 'Resident.household', 'Household.id', 'Benefit.type'].includes(coordinate);
  const withSubjects = (query: string) => {
    const filtered = filterOperation(schema, parse(query), undefined, decide, isPublic)!;
    expect(validate(schema, filtered.document)).toEqual([]);
    return { ...filtered, text: print(filtered.document) };
  };

  it('adds the entity key where non-public fields are returned, reports whose they were, and removes the key', () => {
    const { text, shape } = withSubjects('{ residents { name benefits { type } } }');
    expect(text).toContain('__govgraph_key: id');
    const data = {
      residents: [
        { name: '王寒雪', benefits: [], __govgraph_key: 'r1' },
        { name: null, benefits: [], __govgraph_key: 'r2' },
      ],
    };
    const { subjects } = applyShape(data, shape, undefined, maskers);
    expect(subjects).toEqual(new Map([['Resident', new Set(['r1'])]]));
    expect(data.residents).toEqual([
      { name: '王寒雪', benefits: [] },
      { name: null, benefits: [] },
    ]);
  });

  it.each([
    ['the id', '{ residents { id name } }', 'id'],
    ['the id under an alias', '{ residents { who: id name } }', 'who'],
  ])(
    'reads whose data it was from %s the client asked for, adds no key of its own, and leaves the id in the response',
    (_case, query, key) => {
      const { text, shape } = withSubjects(query);
      expect(text).not.toContain('__govgraph_key');
      const data = {
        residents: [
          { [key]: 'r1', name: '王寒雪' },
          { [key]: 'r2', name: null },
        ],
      };
      const { subjects } = applyShape(data, shape, undefined, maskers);
      expect(subjects).toEqual(new Map([['Resident', new Set(['r1'])]]));
      expect(data.residents).toEqual([
        { [key]: 'r1', name: '王寒雪' },
        { [key]: 'r2', name: null },
      ]);
    },
  );

  it.each([
    ['asked for only on a condition', 'query ($with: Boolean!) { residents { id @include(if: $with) name } }'],
    ['asked for only inside a fragment', '{ residents { ... on Resident { id } name } }'],
  ])('still adds its own key when the id is %s', (_case, query) => {
    const { text } = withSubjects(query);
    expect(text).toContain('__govgraph_key: id');
  });

  it('adds no key where only public fields are selected', () => {
    expect(withSubjects('{ residents { id benefits { type } } }').text).not.toContain('__govgraph_key');
  });

  it('adds no key when the caller may not see the id', () => {
    expect(withSubjects('{ resident(id: "1") { household { __typename } } }').text).not.toContain('__govgraph_key');
  });
});

describe('operation depth', () => {
  it.each([
    ['{ residents { id } }', 2],
    ['{ resident(id: "1") { household { address } } }', 3],
    ['query { residents { ...F } } fragment F on Resident { household { ...G } } fragment G on Household { address }', 3],
    ['query { residents { ...F } } fragment F on Resident { household { id } }', 3],
  ])('%s is %d deep', (query, depth) => {
    expect(operationDepth(parse(query))).toBe(depth);
  });
});

describe('denied fields asked for more than once', () => {
  it.each([
    ['{ residents { phone phone @skip(if: true) } }', undefined, 1],
    ['{ residents { phone @skip(if: true) phone } }', undefined, 1],
    ['{ residents { phone @skip(if: true) a: id } }', undefined, 0],
    ['query ($x: Boolean = true) { residents { phone @include(if: $x) } }', {}, 0],
  ])('%s gets %d error(s) per row when variables are %j (before defaults)', (query, variables, expected) => {
    const { shape } = run(query);
    const data = { residents: [{}] as Record<string, unknown>[] };
    expect(applyShape(data, shape, variables, maskers).errors).toHaveLength(expected);
  });
});
