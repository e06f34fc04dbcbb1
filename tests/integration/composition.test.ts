import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType } from 'graphql';
import { composeSupergraph, SCHEMA_DIR } from '../../schema/compose';
import { DEPARTMENTS } from '../../common/departments';
import { loadDepartment } from '../../subgraphs/departments';
import { buildStewardSchema } from '../../gateway/steward/steward.schema';
import { supergraphProblems } from '../../gateway/access/governable-schema';
import { composeEdited } from './compose-with';

/** The checked-in schema/ files are what the subgraphs' code composes to today. */
describe('the checked-in schema', () => {
  it('matches each subgraph and the composed supergraph (run `npm run compose` after changing a subgraph)', async () => {
    const { subgraphs, supergraph } = await composeSupergraph();
    for (const { file, sdl } of subgraphs) {
      expect({ file, sdl: readFileSync(path.join(SCHEMA_DIR, file), 'utf8') }).toEqual({ file, sdl });
    }
    expect(readFileSync(path.join(SCHEMA_DIR, 'supergraph.graphql'), 'utf8')).toBe(supergraph);
  });

  it('classifies every field, and every interface field as each of its implementations', async () => {
    const { supergraph } = await composeSupergraph();
    expect(supergraphProblems(supergraph)).toEqual([]);
  });

  it.each([
    [
      'an implementation classified unlike its interface',
      (sdl: string) =>
        `${sdl.replace(/^type GridCell\b/m, 'type GridCell implements Placed')}\ninterface Placed {\n  areaCode: String @sharing(level: "CONDITIONAL")\n}\n`,
      'GridCell.areaCode is UNCONDITIONAL but Placed.areaCode is CONDITIONAL',
    ],
    [
      'an interface field left unclassified',
      (sdl: string) =>
        `${sdl.replace(/^type GridCell\b/m, 'type GridCell implements Placed')}\ninterface Placed {\n  areaCode: String\n}\n`,
      'Placed.areaCode is unclassified',
    ],
    [
      'an object field left unclassified',
      (sdl: string) => `${sdl}\nextend type Query {\n  cellCount: Int\n}\n`,
      'Query.cellCount is unclassified',
    ],
  ])('fails on %s, naming it', (_case, edit, expected) => {
    expect(supergraphProblems(composeEdited('grid', edit))).toContain(expected);
  });

  it("composes exactly the registry's departments and the steward subgraph, in the registry's order", async () => {
    const { subgraphs } = await composeSupergraph();
    expect(subgraphs.map(({ name, file }) => ({ name, file }))).toEqual([
      ...DEPARTMENTS.map((department) => ({ name: department.name, file: path.basename(department.schemaFile) })),
      { name: 'steward', file: 'steward.graphql' },
    ]);
  });

  it.each([
    ...DEPARTMENTS.map((department) => [department.name, async () => (await loadDepartment(department)).schema()] as const),
    ['steward', async () => buildStewardSchema()] as const,
  ])('%s describes every type, field and argument in Chinese and English', async (_name, build) => {
    const schema = await build();
    const bilingual = (text: string | null | undefined) => /[\u4e00-\u9fff].* · .*[A-Za-z]/.test(text ?? '');
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (/^(_|link__|federation__)/.test(type.name) || isSpecifiedScalarType(type)) continue;
      // Root operation types cannot carry a description from type-graphql; their fields do.
      if (!bilingual(type.description) && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
      if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (field.name.startsWith('_')) continue;
        if (!bilingual(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!bilingual(arg.description) && arg.name !== 'id') missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it.each([
    [
      'an interface field without a classification',
      (sdl: string) => sdl.replace('at: DateTime! @sharing(level: "UNCONDITIONAL")', 'at: DateTime!'),
      [
        'GridEvent.at is unclassified',
        'GridEvent.at is unclassified but Incident.at is UNCONDITIONAL',
        'GridEvent.at is unclassified but Visit.at is UNCONDITIONAL',
      ],
    ],
    [
      'an implementation classified otherwise',
      (sdl: string) =>
        sdl.replace(
          /(type Visit implements GridEvent[\s\S]*?at: DateTime! )@sharing\(level: "UNCONDITIONAL"\)/,
          '$1@sharing(level: "CONDITIONAL")',
        ),
      ['Visit.at is CONDITIONAL but GridEvent.at is UNCONDITIONAL'],
    ],
    [
      'an implementation leaving the field to its type’s classification',
      (sdl: string) => sdl.replace(/(type Visit implements GridEvent[\s\S]*?cell: GridCell) @sharing\(level: "UNCONDITIONAL"\)/, '$1'),
      ['Visit.cell is CONDITIONAL but GridEvent.cell is UNCONDITIONAL'],
    ],
  ])('finds %s in the checked-in supergraph edited', (_case, edit, expected) => {
    const supergraph = readFileSync(path.join(SCHEMA_DIR, 'supergraph.graphql'), 'utf8');
    const edited = edit(supergraph);
    expect(edited).not.toBe(supergraph);
    expect(supergraphProblems(edited)).toEqual(expected);
  });
});
