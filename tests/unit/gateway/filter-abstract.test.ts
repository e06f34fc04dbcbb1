import { buildSchema, execute, getIntrospectionQuery, parse, print, validate } from 'graphql';
import { applyShape, deniedCoordinates } from '../../../gateway/access/apply-shape';
import { filterOperation, type Decide } from '../../../gateway/access/filter-operation';
import { createMaskers } from '../../../gateway/access/maskers';
import type { Decision } from '../../../gateway/access/policy';
import { TYPE_KEY } from '../../../gateway/access/shape';

/** A grid of events: visits and incidents behind one interface, and a union besides. */
const schema = buildSchema(`
  type Query { timeline: [GridEvent!]! found: [Found!]! event(id: ID!): GridEvent cell: Cell }
  type Mutation { add(n: Int!): Int remove(n: Int!): Int }
  interface GridEvent { at: String cell: Cell related: GridEvent }
  type Visit implements GridEvent { id: ID! at: String cell: Cell related: GridEvent notes: String resident: Resident }
  type Incident implements GridEvent { id: ID! at: String cell: Cell related: Visit description: String }
  type Cell { id: ID! name: String }
  type Resident { id: ID! name: String phone: String }
  union Found = Visit | Incident | Cell
`);

const deny = (reason: Decision['reason'] = 'NO_GRANT'): Decision => ({ action: 'DENY', reason });
const RULES: Record<string, Decision> = {
  'Visit.at': deny(),
  'Visit.notes': deny('NOT_SHARED'),
  'Incident.description': { action: 'MASK', reason: 'GRANTED', masker: 'NAME', grant: 'G9' },
  'Incident.related': deny(),
  'Resident.phone': deny(),
  'Mutation.add': { action: 'DENY', reason: 'MUTATION_NOT_ALLOWED' },
};
const decide: Decide = (coordinate) => RULES[coordinate] ?? { action: 'ALLOW', reason: 'UNCONDITIONAL' };
const PUBLIC = new Set(['Visit.id', 'Incident.id', 'Cell.id', 'Cell.name', 'Incident.at', 'Visit.cell', 'Incident.cell']);
const maskers = createMaskers(Buffer.alloc(32));

function run(query: string, decideWith: Decide = decide) {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const filtered = filterOperation(schema, document, undefined, decideWith, (coordinate) => PUBLIC.has(coordinate))!;
  // The planner gets a valid document.
  expect(validate(schema, filtered.document)).toEqual([]);
  return { ...filtered, text: print(filtered.document) };
}

describe('a field selected on an interface is decided per concrete type', () => {
  it('asks for the field only on the types that may see it, through a fragment on each', () => {
    const { text, decisions } = run('{ timeline { at } }');
    expect(text).toMatch(/\.\.\. on Incident \{\s+at\s+\}/);
    expect(text).not.toMatch(/on Visit/);
    expect(text).toContain(`${TYPE_KEY}: __typename`);
    expect(decisions.get('Visit.at')).toEqual(deny());
    expect(decisions.get('Incident.at')).toMatchObject({ action: 'ALLOW' });
  });

  it('answers null and FORBIDDEN_FIELD only on objects of the denied type', () => {
    const { shape } = run('{ timeline { when: at } }');
    const data = {
      timeline: [{ [TYPE_KEY]: 'Visit' }, { [TYPE_KEY]: 'Incident', when: '2026-01-01' }, { [TYPE_KEY]: 'Visit' }] as Record<
        string,
        unknown
      >[],
    };
    const { errors } = applyShape(data, shape, undefined, maskers);
    expect(data.timeline).toEqual([{ when: null }, { when: '2026-01-01' }, { when: null }]);
    expect(errors.map((error) => [error.path, error.extensions?.coordinate])).toEqual([
      [['timeline', 0, 'when'], 'Visit.at'],
      [['timeline', 2, 'when'], 'Visit.at'],
    ]);
  });

  it('leaves an operation whose decisions agree for every concrete type as the client wrote it', () => {
    const query = '{ timeline { __typename cell { id name } ... on Visit { id } } found { __typename } }';
    const { text } = run(query);
    expect(text).toBe(print(parse(query)));
  });

  it('answers { union { __typename } } untouched', () => {
    expect(run('{ found { __typename } }').text).toBe(print(parse('{ found { __typename } }')));
  });

  it('uses the client’s own __typename to tell the types apart when it asked for one', () => {
    const { text, shape } = run('{ timeline { kind: __typename at } }');
    expect(text).not.toContain(TYPE_KEY);
    const data = { timeline: [{ kind: 'Visit' }, { kind: 'Incident', at: 'x' }] as Record<string, unknown>[] };
    applyShape(data, shape, undefined, maskers);
    expect(data.timeline).toEqual([
      { kind: 'Visit', at: null },
      { kind: 'Incident', at: 'x' },
    ]);
  });

  it('masks a field on the types whose grant masks it, and leaves it whole on the others', () => {
    const { text, shape } = run('{ found { ... on Incident { description } ... on Visit { notes } } }');
    expect(text).toContain('description');
    expect(text).not.toContain('notes');
    const data = {
      found: [{ [TYPE_KEY]: 'Incident', description: '王寒雪' }, { [TYPE_KEY]: 'Visit' }, { [TYPE_KEY]: 'Cell' }] as Record<
        string,
        unknown
      >[],
    };
    const { errors } = applyShape(data, shape, undefined, maskers);
    expect(data.found).toEqual([{ description: '王**' }, { notes: null }, {}]);
    expect(errors.map((error) => error.path)).toEqual([['found', 1, 'notes']]);
  });

  it('decides fields in a fragment on an interface inside a union for the union members that implement it', () => {
    const { text, shape } = run('{ found { ... on GridEvent { at } ... on Cell { name } } }');
    expect(validate(schema, parse(text))).toEqual([]);
    const data = {
      found: [{ [TYPE_KEY]: 'Visit' }, { [TYPE_KEY]: 'Incident', at: 'x' }, { [TYPE_KEY]: 'Cell', name: 'c' }] as Record<string, unknown>[],
    };
    applyShape(data, shape, undefined, maskers);
    expect(data.found).toEqual([{ at: null }, { at: 'x' }, { name: 'c' }]);
  });

  it('governs a named fragment on an interface wherever it is spread', () => {
    const { shape, text } = run('query { timeline { ...E related { ...E } } } fragment E on GridEvent { at }');
    expect(text).not.toContain('fragment E');
    const data = {
      timeline: [
        { [TYPE_KEY]: 'Incident', at: 'a', related: null },
        { [TYPE_KEY]: 'Visit', related: { [TYPE_KEY]: 'Visit' } },
      ] as Record<string, unknown>[],
    };
    const { errors } = applyShape(data, shape, undefined, maskers);
    expect(errors.map((error) => error.path)).toEqual([
      ['timeline', 0, 'related'],
      ['timeline', 1, 'at'],
      ['timeline', 1, 'related', 'at'],
    ]);
    expect(data.timeline).toEqual([
      { at: 'a', related: null },
      { at: null, related: { at: null } },
    ]);
  });

  it('filters the selection below a field whose type narrows on the concrete type', () => {
    // Incident.related is a Visit, GridEvent.related any event: denied on incidents, kept on visits.
    const { text } = run('{ timeline { related { ... on Visit { notes id } ... on Incident { description } } } }');
    expect(text).toMatch(/\.\.\. on Visit \{\s+related/);
    expect(text).not.toContain('notes');
  });

  it('adds the key of whose data it is on each concrete type that returns non-public fields', () => {
    const { text, shape } = run('{ found { ... on Visit { resident { name } } ... on Incident { description } } }');
    expect(text).toMatch(/\.\.\. on Incident \{\s+__govgraph_key: id/);
    const data = {
      found: [{ [TYPE_KEY]: 'Incident', description: '李四', __govgraph_key: 'i1' }, { [TYPE_KEY]: 'Cell' }] as Record<string, unknown>[],
    };
    const { subjects } = applyShape(data, shape, undefined, maskers);
    expect(subjects).toEqual(new Map([['Incident', new Set(['i1'])]]));
    expect(data.found).toEqual([{ description: '李*' }, {}]);
  });

  it('lists a denied concrete-type field once for strict mode', () => {
    const { shape } = run('{ timeline { at } event(id: "1") { at ... on Visit { notes } } }');
    expect(deniedCoordinates(shape).sort()).toEqual(['Visit.at', 'Visit.notes']);
  });

  it('drops a fragment its denials emptied', () => {
    const { text } = run('{ timeline { ... on Visit { notes } } }');
    expect(text).not.toContain('on Visit');
  });
});

describe('what is never a data decision', () => {
  it('keeps introspection for every caller, recording that it was introspection', () => {
    const denyAll: Decide = () => deny('UNCLASSIFIED');
    const { text, decisions } = run('{ __schema { types { name } } __type(name: "Visit") { fields { name } } }', denyAll);
    expect(text).toContain('__schema');
    expect(text).toContain('__type(name: "Visit")');
    expect(decisions.get('Query.__schema')).toEqual({ action: 'ALLOW', reason: 'INTROSPECTION' });
  });

  it('keeps the full introspection query a client generator sends, its fragments inlined', () => {
    const { text } = run(getIntrospectionQuery({ descriptions: true }), () => deny('UNCLASSIFIED'));
    expect(text).not.toMatch(/fragment |\.\.\.[A-Z]/);
    expect(execute({ schema, document: parse(text) })).toMatchObject({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('names a mutation the caller may not call once, however many aliases call it', () => {
    expect(run('mutation { a: add(n: 1) b: add(n: 2) add(n: 3) remove(n: 1) }').forbiddenMutations).toEqual(['Mutation.add']);
  });
});
