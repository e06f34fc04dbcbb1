import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { projectRoot } from '../../../common/project-root';
import { readCatalog } from '../../../gateway/access/catalog';
import { assertGovernable, governabilityProblems, UngovernableSchemaError } from '../../../gateway/access/governable-schema';
import type { Catalog, FieldPolicy } from '../../../gateway/access/policy';

function catalogOf(entries: Record<string, Partial<FieldPolicy>>): Catalog {
  return new Map(
    Object.entries(entries).map(([coordinate, policy]) => [
      coordinate,
      { coordinate, owners: ['grid'], sharing: 'UNCONDITIONAL', ...policy },
    ]),
  );
}

const schema = buildSchema(`
  type Query { events: [GridEvent!]! }
  interface GridEvent { at: String }
  type Visit implements GridEvent { at: String notes: String minutes: Int }
  type Incident implements GridEvent { at: String }
`);

describe('the start-up check of what the access engine can govern', () => {
  it('passes the checked-in supergraph under its own catalog', () => {
    const supergraph = readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');
    const { catalog } = readCatalog(supergraph);
    expect(governabilityProblems(buildSchema(supergraph, { assumeValidSDL: true }), catalog)).toEqual([]);
  });

  it('passes interfaces whose implementations are classified as the interface is', () => {
    const catalog = catalogOf({
      'Query.events': {},
      'GridEvent.at': {},
      'Visit.at': {},
      'Incident.at': {},
      'Visit.notes': { sharing: 'NONE' },
    });
    expect(governabilityProblems(schema, catalog)).toEqual([]);
  });

  it.each([
    [
      'an implementation classified otherwise',
      { 'Visit.at': { sharing: 'CONDITIONAL' } },
      'Visit.at is CONDITIONAL but GridEvent.at is UNCONDITIONAL',
    ],
    [
      'an implementation with another masker',
      { 'Visit.at': { masker: 'YEAR' } },
      'Visit.at is UNCONDITIONAL, masker YEAR but GridEvent.at is UNCONDITIONAL',
    ],
    ['an implementation left unclassified', { 'Incident.at': undefined }, 'Incident.at is unclassified but GridEvent.at is UNCONDITIONAL'],
    [
      'an interface field left unclassified',
      { 'GridEvent.at': undefined },
      'GridEvent.at is unclassified but Incident.at is UNCONDITIONAL',
    ],
    [
      'a masker on a field without a value to mask',
      { 'Query.events': { masker: 'NAME' } },
      'Query.events has masker NAME but returns GridEvent: only text can be masked',
    ],
    [
      'a masker on a number',
      { 'Visit.minutes': { masker: 'NAME' } },
      'Visit.minutes has masker NAME but returns Int: only text can be masked',
    ],
  ])('refuses %s, naming the coordinate and the reason', (_case, change, expected) => {
    const base: Record<string, Partial<FieldPolicy> | undefined> = {
      'Query.events': {},
      'GridEvent.at': {},
      'Visit.at': {},
      'Incident.at': {},
      'Visit.notes': { sharing: 'NONE' },
    };
    const entries = {
      ...base,
      ...change,
    };
    const catalog = catalogOf(
      Object.fromEntries(Object.entries(entries).filter((entry): entry is [string, Partial<FieldPolicy>] => entry[1] !== undefined)),
    );
    expect(governabilityProblems(schema, catalog).join('\n')).toContain(expected);
    expect(() => assertGovernable(schema, catalog)).toThrow(UngovernableSchemaError);
  });

  it('refuses a subscription root', () => {
    const withSubscription = buildSchema('type Query { a: Int } type Subscription { ticks: Int }');
    expect(governabilityProblems(withSubscription, catalogOf({ 'Query.a': {}, 'Subscription.ticks': {} }))).toEqual([
      'Subscription: subscriptions are not governed',
    ]);
  });
});
