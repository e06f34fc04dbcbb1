import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isNonNullType,
  isUnionType,
  parse,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { projectRoot } from '../../common/project-root';
import { readCatalog } from '../../gateway/access/catalog';
import { decideInCatalog } from '../../gateway/access/decide';
import { sandboxGrants } from '../../gateway/access/grants';
import { createMaskers } from '../../gateway/access/maskers';
import type { Catalog, Grant } from '../../gateway/access/policy';
import { PROPERTY_SEED } from '../helpers/property-seed';
import { plantCanaries, type Canaries } from './canaries';
import { listCoordinateValues } from './response-values';
import { startStack, type Stack } from './stack';

/**
 * Property: whatever operation a caller sends (random selections, aliases
 * such as __proto__, inline and named fragments, @include/@skip, variables,
 * hops through other departments' entities), every value in the response is
 * one that caller may see: a denied field is null, a masked one shows its
 * masked form, and no raw value of a field the caller may not see raw
 * appears anywhere in the response, errors included. Non-public text holds
 * canaries (./canaries); dates, amounts and enums are checked by coordinate.
 *
 * The run is repeatable: the suite's fixed seed (tests/helpers/property-seed.ts), printed, that PROPERTY_SEED overrides.
 */

/**
 * Statistics, and social security, may see every masked field of a resident, masked: without it no masker but
 * ID_NUMBER would be exercised (two consumers, so that enough generated callers meet every masker).
 */
const MASKING_GRANT: Grant = {
  id: 'TEST-MASKED',
  consumer: 'statistics',
  fields: ['Resident.name', 'Resident.birthDate', 'Resident.idNumber', 'Resident.phone', 'Resident.address'],
  purposes: ['service', 'assistance', 'petition_handling', 'statistics', 'supervision'],
  masked: ['Resident.name', 'Resident.birthDate', 'Resident.idNumber', 'Resident.phone', 'Resident.address'],
  validFrom: '2000-01-01T00:00:00.000Z',
  validUntil: '2100-01-01T00:00:00.000Z',
  revokedAt: null,
};

const MASKING_GRANTS: Grant[] = [MASKING_GRANT, { ...MASKING_GRANT, id: 'TEST-MASKED-SOCIAL-SECURITY', consumer: 'social-security' }];

const RUNS = 500;
const TIMELINE_RUNS = 200;
const DEPARTMENTS = ['civil-affairs', 'petitions', 'grid', 'social-security', 'statistics', 'data-office'];
const ROLES = ['officer', 'grid_worker', 'analyst', 'steward'];
const PURPOSES = ['service', 'assistance', 'petition_handling', 'statistics', 'supervision'];
const TRICKY_ALIASES = ['__proto__', 'constructor', 'name', 'id', 'toString'];

interface Caller {
  department: string;
  roles: string[];
  areas: string[];
  purpose: string;
}

/** What one response shows that `who` may not see; empty when the property holds. Counts masked answers in `masked`. */
function findViolations(
  result: unknown,
  document: string,
  variables: Record<string, unknown>,
  who: Caller,
  context: {
    api: GraphQLSchema;
    catalog: Catalog;
    grants: Grant[];
    canaries: Canaries;
    maskedForms: ReadonlyMap<string, ReadonlySet<string>>;
  },
  masked: Map<string, number>,
  abstract: { resolved: number; unknown: number },
): string[] {
  const { api, catalog, grants, canaries, maskedForms } = context;
  const now = new Date().toISOString();
  const decide = (coordinate: string) => decideInCatalog(catalog, coordinate, who, who.purpose, grants, now).action;
  const violations: string[] = [];
  const text = JSON.stringify(result);
  for (const [coordinate, raws] of canaries.values) {
    if (decide(coordinate) !== 'ALLOW' && [...raws].some((raw) => text.includes(raw)))
      violations.push(`${coordinate}: a raw value appears`);
  }
  for (const [coordinate, marker] of canaries.markers) {
    if (decide(coordinate) !== 'ALLOW' && text.includes(marker)) violations.push(`${coordinate}: a raw value appears`);
  }
  const data = (result as { data?: unknown }).data;
  for (const { coordinate, value } of listCoordinateValues(api, parse(document), data, variables, abstract)) {
    const action = decide(coordinate);
    for (const leaf of [value].flat(2)) {
      if (leaf === null) continue;
      if (action === 'DENY') violations.push(`${coordinate}: denied, yet answered ${JSON.stringify(leaf)}`);
      else if (action === 'MASK' && !maskedForms.get(coordinate)?.has(String(leaf)))
        violations.push(`${coordinate}: ${JSON.stringify(leaf)} is not a masked canary`);
      else if (action === 'MASK') masked.set(coordinate, (masked.get(coordinate) ?? 0) + 1);
      else if (canaries.values.has(coordinate) && !canaries.values.get(coordinate)!.has(String(leaf)))
        violations.push(`${coordinate}: ${JSON.stringify(leaf)} is not a planted value`);
      else if (canaries.markers.has(coordinate) && !String(leaf).startsWith(canaries.markers.get(coordinate)!))
        violations.push(`${coordinate}: ${JSON.stringify(leaf)} is not a planted value`);
    }
  }
  return violations;
}

describe('no value a caller may not see leaves the gateway', () => {
  let stack: Stack;
  let canaries: Canaries;
  const supergraph = readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');
  const { catalog } = readCatalog(supergraph);
  const grants = [...sandboxGrants(new Date(Date.now() - 86_400_000)), ...MASKING_GRANTS];

  beforeAll(async () => {
    // The property is about values: generated operations over the cost budget (tested in query-cost.test.ts) would only be refused.
    stack = await startStack({ residents: 150, seed: 41, grants, costBudgets: { '*': Number.MAX_SAFE_INTEGER } });
    canaries = await plantCanaries(stack);
  });
  afterAll(() => stack.stop());

  it(`holds for ${RUNS} generated operations and ${TIMELINE_RUNS} through the grid's timeline, callers and purposes`, async () => {
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

    const argumentsFor = (
      field: GraphQLField<unknown, unknown>,
    ): fc.Arbitrary<{ text: string; variables: Record<string, unknown>; definitions: string[] }> => {
      const none = fc.constant({ text: '', variables: {}, definitions: [] as string[] });
      const idArg = field.args.find((arg) => arg.name === 'id');
      if (idArg) {
        const typeName = getNamedType(field.type).name;
        return fc.tuple(fc.constantFrom(...(ids[typeName] ?? ['unknown'])), fc.boolean()).map(([id, asVariable]) => {
          const name = `v${(aliasCounter += 1)}`;
          return asVariable
            ? { text: `(id: $${name})`, variables: { [name]: id }, definitions: [`$${name}: ID!`] }
            : { text: `(id: "${id}")`, variables: {}, definitions: [] };
        });
      }
      if (field.args.some((arg) => arg.name === 'areaCode' && isNonNullType(arg.type)))
        return fc.constant({ text: '(areaCode: "610921")', variables: {}, definitions: [] });
      if (field.args.some((arg) => arg.name === 'first'))
        return fc.integer({ min: 1, max: 4 }).map((n) => ({ text: `(first: ${n})`, variables: {}, definitions: [] }));
      return none;
    };

    type Piece = { text: string; variables: Record<string, unknown>; definitions: string[]; fragments: string[] };
    const piece = (text: string, parts: readonly (Piece | null)[] = []): Piece => ({
      text,
      variables: Object.assign({}, ...parts.map((part) => part?.variables ?? {})),
      definitions: parts.flatMap((part) => part?.definitions ?? []),
      fragments: parts.flatMap((part) => part?.fragments ?? []),
    });
    let fragmentCounter = 0;
    /** At an interface or a union the response must say the object's type, plainly or under a condition the gateway cannot rely on. */
    const typename = fc.constantFrom('__typename', 'kind: __typename @include(if: true)', 'kind: __typename @skip(if: false)');
    const selection = (type: GraphQLCompositeType, depth: number, nesting = 0): fc.Arbitrary<Piece> => {
      const fields = (isUnionType(type) ? [] : Object.values(type.getFields())).filter(
        (f) => !f.name.startsWith('_') && f.args.every((arg) => !isNonNullType(arg.type) || ['id', 'areaCode'].includes(arg.name)),
      );
      const one = (field: GraphQLField<unknown, unknown>): fc.Arbitrary<Piece> => {
        const named = getNamedType(field.type);
        const inner: fc.Arbitrary<Piece | null> = isCompositeType(named)
          ? depth > 0
            ? selection(named, depth - 1)
            : fc.constant(piece('__typename'))
          : fc.constant(null);
        return fc
          .tuple(
            argumentsFor(field),
            inner,
            fc.integer({ min: 0, max: 9 }),
            fc.constantFrom('', ' @include(if: true)', ' @skip(if: false)', ' @skip(if: true)', ' @include(if: $inc)'),
          )
          .map(([args, sub, aliasRoll, directive]) => {
            const alias =
              aliasRoll === 0
                ? `${TRICKY_ALIASES[(aliasCounter += 1) % TRICKY_ALIASES.length]}_${aliasCounter}: `
                : aliasRoll < 4
                  ? `a${(aliasCounter += 1)}: `
                  : '';
            return piece(`${alias}${field.name}${args.text}${directive}${sub ? ` { ${sub.text} }` : ''}`, [
              { ...args, fragments: [] },
              sub,
            ]);
          });
      };
      // Fragments on the concrete types an abstract type may be, and on the interfaces an object type implements.
      const conditions = isAbstractType(type) ? api.getPossibleTypes(type) : type.getInterfaces();
      const items: fc.Arbitrary<Piece>[] = fields.map(one);
      if (nesting < 2) {
        for (const condition of conditions) {
          items.push(selection(condition, depth, nesting + 1).map((sub) => piece(`... on ${condition.name} { ${sub.text} }`, [sub])));
        }
      }
      return fc
        .tuple(
          fc.array(fc.oneof(...items), { minLength: 1, maxLength: 4 }),
          fc.constantFrom('plain', 'inline', 'typename', 'named'),
          isAbstractType(type) ? typename.map((text) => [text]) : fc.constant([] as string[]),
        )
        .map(([chosen, mode, typenames]) => {
          const text = [...typenames, ...chosen.map((i) => i.text)].join(' ');
          if (mode === 'named') {
            const name = `F${(fragmentCounter += 1)}`;
            const spread = piece(`...${name}`, chosen);
            return { ...spread, fragments: [...spread.fragments, `fragment ${name} on ${type.name} { ${text} }`] };
          }
          return piece(mode === 'inline' ? `... on ${type.name} { ${text} }` : mode === 'typename' ? `__typename ${text}` : text, chosen);
        });
    };

    const asOperation = ([root, named, include]: [Piece, boolean, boolean]) => {
      const definitions = [...root.definitions, '$inc: Boolean!'];
      const head = `query Generated(${definitions.join(', ')})`;
      const fragments = root.fragments.join(' ');
      const text = named
        ? `${head} { ...Root } fragment Root on Query { ${root.text} } ${fragments}`
        : `${head} { ${root.text} } ${fragments}`;
      return { text, variables: { ...root.variables, inc: include } };
    };
    const operation = fc.tuple(selection(query, 3), fc.boolean(), fc.boolean()).map(asOperation);
    // Deeper through the grid's timeline, where every object is a Visit or an Incident behind GridEvent:
    // a visit's resident, and masked values of that resident, are three levels below the event.
    const gridEvent = api.getType('GridEvent') as GraphQLCompositeType;
    const throughTimeline = fc
      .tuple(selection(gridEvent, 3), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 3, max: 12 }), fc.boolean(), fc.boolean())
      .map(([events, cells, first, named, include]) =>
        asOperation([
          piece(`gridCells(first: ${cells}) { nodes { timeline(first: ${first}) { ${events.text} } } }`, [events]),
          named,
          include,
        ]),
      );

    const caller = fc.record({
      department: fc.constantFrom(...DEPARTMENTS),
      roles: fc.subarray(ROLES, { minLength: 1 }),
      areas: fc.constantFrom(['610921'], [county.villages[0]!.code.slice(0, 9)]),
      purpose: fc.constantFrom(...PURPOSES),
    });

    // The masked form of every planted value, by coordinate: what a MASK decision may answer.
    const maskers = createMaskers(Buffer.alloc(32));
    const maskedForms = new Map<string, ReadonlySet<string>>();
    for (const [coordinate, raws] of canaries.values) {
      const masker = catalog.get(coordinate)?.masker;
      if (masker) maskedForms.set(coordinate, new Set([...raws].map((raw) => maskers[masker](raw) ?? 'unmaskable')));
    }
    const context = { api, catalog, grants, canaries, maskedForms };
    const masked = new Map<string, number>();
    const abstract = { resolved: 0, unknown: 0 };
    let answered = 0;
    // eslint-disable-next-line no-console -- the seed is how a failure found here is reproduced
    console.info(`no-leak property: seed ${PROPERTY_SEED} (PROPERTY_SEED=<n> runs another)`);
    const holds = async (op: { text: string; variables: Record<string, unknown> }, who: Caller) => {
      const result = await stack.query(op.text, op.variables, {
        as: { department: who.department, roles: who.roles, areas: [...who.areas] },
        purpose: who.purpose,
      });
      expect(result.status).toBeLessThan(500);
      if (result.data) answered += 1;
      expect(JSON.stringify(result)).not.toMatch(/"code":"INTERNAL"/);
      expect(findViolations(result, op.text, op.variables, { ...who, areas: [...who.areas] }, context, masked, abstract)).toEqual([]);
    };
    await fc.assert(
      fc.asyncProperty(operation, caller, (op, who) => holds(op, { ...who, areas: [...who.areas] })),
      { numRuns: RUNS, seed: PROPERTY_SEED },
    );
    const maskedBefore = [...masked.values()].reduce((sum, n) => sum + n, 0);
    await fc.assert(
      fc.asyncProperty(throughTimeline, caller, (op, who) => holds(op, { ...who, areas: [...who.areas] })),
      { numRuns: TIMELINE_RUNS, seed: PROPERTY_SEED },
    );
    // The timeline's operations reached masked values behind the interface.
    expect([...masked.values()].reduce((sum, n) => sum + n, 0)).toBeGreaterThan(maskedBefore);
    // Most generated operations are valid and answered, and every masker answered masked values: the property is not passing vacuously.
    expect(answered).toBeGreaterThan((RUNS + TIMELINE_RUNS) * 0.8);
    expect([...masked.keys()].sort()).toEqual([...MASKING_GRANT.masked].sort());
    // Objects at interfaces and unions were answered and checked by their concrete type.
    expect(abstract.resolved).toBeGreaterThan(RUNS / 10);
    expect(abstract.unknown).toBe(0);
  }, 300_000);
});
