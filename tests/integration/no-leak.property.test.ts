import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { projectRoot } from '../../common/project-root';
import { readCatalog } from '../../gateway/access/catalog';
import { decideField } from '../../gateway/access/decide';
import { sandboxGrants } from '../../gateway/access/grants';
import { startStack, type Stack } from './stack';

/**
 * Property: whatever operation a caller sends (random selections, aliases
 * such as __proto__, inline and named fragments, @include/@skip, variables,
 * hops through other departments' entities), no value of a field that
 * caller may not see raw appears anywhere in the response. Every non-public
 * text field holds a canary: a marker naming its coordinate.
 */
const CANARIES: Record<string, string> = {
  'Resident.name': 'CNYNAME',
  'Resident.phone': 'CNYPHONE',
  'Resident.idNumber': 'CNYIDNO',
  'Resident.address': 'CNYADDR',
  'Household.address': 'CNYHHADDR',
  'Petition.subject': 'CNYSUBJ',
  'Petition.content': 'CNYCONTENT',
  'Petition.response': 'CNYRESPONSE',
  'PetitionStep.note': 'CNYSTEPNOTE',
  'Visit.notes': 'CNYVNOTES',
  'Incident.description': 'CNYDESC',
  'Incident.resolution': 'CNYRESOL',
};

const RUNS = 500;
const DEPARTMENTS = ['civil-affairs', 'petitions', 'grid', 'statistics', 'data-office'];
const ROLES = ['officer', 'grid_worker', 'analyst', 'steward'];
const PURPOSES = ['service', 'assistance', 'petition_handling', 'statistics', 'supervision'];
const TRICKY_ALIASES = ['__proto__', 'constructor', 'name', 'id', 'toString'];

describe('no value a caller may not see leaves the gateway', () => {
  let stack: Stack;
  const supergraph = readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');
  const { catalog } = readCatalog(supergraph);
  const grants = sandboxGrants(new Date(Date.now() - 86_400_000));

  beforeAll(async () => {
    stack = await startStack({ residents: 150, seed: 41, grants });
    const civil = stack.subgraphs['civil-affairs'].dataSource;
    await civil.query(`UPDATE resident SET name = 'CNYNAME' || substr(id, 1, 8), phone = 'CNYPHONE' || substr(id, 1, 3), id_number = 'CNYIDNO' || substr(id, 1, 11), address = 'CNYADDR' || id`);
    await civil.query(`UPDATE household SET address = 'CNYHHADDR' || id`);
    const petitions = stack.subgraphs.petitions.dataSource;
    await petitions.query(`UPDATE petition SET subject = 'CNYSUBJ' || id, content = 'CNYCONTENT' || id, response = 'CNYRESPONSE' || id`);
    await petitions.query(`UPDATE petition_step SET note = 'CNYSTEPNOTE' || id`);
    const grid = stack.subgraphs.grid.dataSource;
    await grid.query(`UPDATE visit SET notes = 'CNYVNOTES' || id`);
    await grid.query(`UPDATE incident SET description = 'CNYDESC' || id, resolution = 'CNYRESOL' || id`);
  });
  afterAll(() => stack.stop());

  it(`holds for ${RUNS} generated operations, callers and purposes`, async () => {
    const api = buildSchema(supergraph, { assumeValidSDL: true });
    const { county } = stack;
    const ids: Record<string, string[]> = {
      Resident: county.residents.slice(0, 40).map((r) => r.id),
      Household: county.households.slice(0, 20).map((h) => h.id),
      Petition: county.petitions.map((p) => p.id),
      GridCell: county.cells.slice(0, 20).map((c) => c.id),
      GridWorker: county.workers.map((w) => w.id),
      Incident: county.incidents.slice(0, 10).map((i) => i.id),
    };
    const query = api.getQueryType()!;
    let aliasCounter = 0;

    const argumentsFor = (field: GraphQLField<unknown, unknown>): fc.Arbitrary<{ text: string; variables: Record<string, unknown>; definitions: string[] }> => {
      const none = fc.constant({ text: '', variables: {}, definitions: [] as string[] });
      const idArg = field.args.find((arg) => arg.name === 'id');
      if (idArg) {
        const typeName = getNamedType(field.type).name;
        return fc.tuple(fc.constantFrom(...(ids[typeName] ?? ['unknown'])), fc.boolean()).map(([id, asVariable]) => {
          const name = `v${(aliasCounter += 1)}`;
          return asVariable ? { text: `(id: $${name})`, variables: { [name]: id }, definitions: [`$${name}: ID!`] } : { text: `(id: "${id}")`, variables: {}, definitions: [] };
        });
      }
      if (field.args.some((arg) => arg.name === 'areaCode' && isNonNullType(arg.type))) return fc.constant({ text: '(areaCode: "610921")', variables: {}, definitions: [] });
      if (field.args.some((arg) => arg.name === 'first')) return fc.integer({ min: 1, max: 4 }).map((n) => ({ text: `(first: ${n})`, variables: {}, definitions: [] }));
      return none;
    };

    type Piece = { text: string; variables: Record<string, unknown>; definitions: string[] };
    const selection = (type: GraphQLObjectType, depth: number): fc.Arbitrary<Piece> => {
      const fields = Object.values(type.getFields()).filter(
        (f) => !f.name.startsWith('_') && f.args.every((arg) => !isNonNullType(arg.type) || ['id', 'areaCode'].includes(arg.name)),
      );
      const one = fc.constantFrom(...fields).chain((field) => {
        const named = getNamedType(field.type);
        const inner: fc.Arbitrary<Piece | null> = isObjectType(named)
          ? depth > 0
            ? selection(named, depth - 1)
            : fc.constant({ text: '__typename', variables: {}, definitions: [] })
          : fc.constant(null);
        return fc
          .tuple(argumentsFor(field), inner, fc.integer({ min: 0, max: 9 }), fc.constantFrom('', ' @include(if: true)', ' @skip(if: false)', ' @skip(if: true)', ' @include(if: $inc)'))
          .map(([args, sub, aliasRoll, directive]) => {
            const alias = aliasRoll === 0 ? `${TRICKY_ALIASES[(aliasCounter += 1) % TRICKY_ALIASES.length]}_${aliasCounter}: ` : aliasRoll < 4 ? `a${(aliasCounter += 1)}: ` : '';
            return {
              text: `${alias}${field.name}${args.text}${directive}${sub ? ` { ${sub.text} }` : ''}`,
              variables: { ...args.variables, ...sub?.variables },
              definitions: [...args.definitions, ...(sub?.definitions ?? [])],
            };
          });
      });
      return fc
        .tuple(fc.array(one, { minLength: 1, maxLength: 4 }), fc.constantFrom('plain', 'inline', 'typename'))
        .map(([items, mode]) => {
          const text = items.map((i) => i.text).join(' ');
          const wrapped = mode === 'inline' ? `... on ${type.name} { ${text} }` : mode === 'typename' ? `__typename ${text}` : text;
          return { text: wrapped, variables: Object.assign({}, ...items.map((i) => i.variables)), definitions: items.flatMap((i) => i.definitions) };
        });
    };

    const operation = fc.tuple(selection(query, 3), fc.boolean(), fc.boolean()).map(([root, named, include]) => {
      const definitions = [...root.definitions, '$inc: Boolean!'];
      const head = `query Generated(${definitions.join(', ')})`;
      const text = named ? `${head} { ...Root } fragment Root on Query { ${root.text} }` : `${head} { ${root.text} }`;
      return { text, variables: { ...root.variables, inc: include } };
    });

    const caller = fc.record({
      department: fc.constantFrom(...DEPARTMENTS),
      roles: fc.subarray(ROLES, { minLength: 1 }),
      areas: fc.constantFrom(['610921'], [county.villages[0]!.code.slice(0, 9)]),
      purpose: fc.constantFrom(...PURPOSES),
    });

    let answered = 0;
    await fc.assert(
      fc.asyncProperty(operation, caller, async (op, who) => {
        const result = await stack.query(op.text, op.variables, { as: { department: who.department, roles: who.roles, areas: [...who.areas] }, purpose: who.purpose });
        expect(result.status).toBeLessThan(500);
        if (result.data) answered += 1;
        const text = JSON.stringify(result);
        expect(text).not.toMatch(/"code":"INTERNAL"/);
        const now = new Date().toISOString();
        for (const [coordinate, canary] of Object.entries(CANARIES)) {
          const decision = decideField(catalog.get(coordinate), who, who.purpose, grants, now);
          if (decision.action !== 'ALLOW' && text.includes(canary)) {
            throw new Error(`${coordinate} (${decision.action}) leaked to ${who.department}/${who.roles.join('+')} for ${who.purpose}: ${op.text}`);
          }
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2_147_483_647) },
    );
    // Most generated operations are valid and answered: the property is not passing vacuously.
    expect(answered).toBeGreaterThan(RUNS * 0.8);
  }, 300_000);
});
