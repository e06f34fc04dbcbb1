import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { projectRoot } from '../../../common/project-root';
import { assertGovernable, ungovernableCoordinates, UngovernableSchemaError } from '../../../gateway/access/governable-schema';

describe('the start-up guard against schema shapes the access engine cannot decide for', () => {
  it('passes the checked-in supergraph', () => {
    const supergraph = readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');
    expect(ungovernableCoordinates(buildSchema(supergraph, { assumeValidSDL: true }))).toEqual([]);
  });

  it.each([
    ['a union', 'union Found = A | B', 'search: [Found!]!', ['Found', 'Query.search']],
    ['an interface', 'interface Named { name: String }', 'named: Named', ['Named', 'Query.named']],
  ])('names every coordinate that returns %s, and the abstract type itself', (_kind, abstract, field, expected) => {
    const schema = buildSchema(`
      type A { id: ID! }
      type B { id: ID! }
      ${abstract}
      type Query { a: A ${field} }
    `);
    expect(ungovernableCoordinates(schema)).toEqual(expected);
    expect(() => assertGovernable(schema)).toThrow(UngovernableSchemaError);
    expect(() => assertGovernable(schema)).toThrow(expected[1]!);
  });
});
