/**
 * A differential fixture under a non-permissive classification: the same
 * subgraphs and data, with some fields `NONE` or `CONDITIONAL` (some with a
 * masker) by a fixed table, every other field left to ./sharing.ts
 * (UNCONDITIONAL).
 *
 * The table is keyed by coordinate as the subgraph spells it (`Media.title`,
 * `Account.balance` on an @interfaceObject type) and applied in every
 * subgraph that mentions the coordinate, @external declarations included, so
 * composition never meets two classifications of one field. A field
 * classified other than UNCONDITIONAL is made nullable there (the outer `!`
 * only), as govgraph's catalog expects of non-public fields: a denial
 * answers null in place, and must not stand where null cannot.
 */
import { Kind, parse, print, type ConstDirectiveNode, type ConstArgumentNode, type DocumentNode, type FieldDefinitionNode } from 'graphql';
import type { MaskerName, SharingLevel } from '../../../gateway/access/policy';
import type { SupergraphFixture } from './fixture';

export interface Classification {
  level: SharingLevel;
  masker?: MaskerName;
}

/** Classifications by coordinate; a coordinate left out is UNCONDITIONAL. */
export type ClassificationTable = Readonly<Record<string, Classification>>;

const FIELD_OWNERS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
]);

function stringArgument(name: string, value: string): ConstArgumentNode {
  return { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: name }, value: { kind: Kind.STRING, value } };
}

function sharing({ level, masker }: Classification): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'sharing' },
    arguments: [stringArgument('level', level), ...(masker ? [stringArgument('masker', masker)] : [])],
  };
}

/** The subgraph's SDL with the table's classifications written in, non-public fields made nullable. */
export function classifySdl(sdl: string, table: ClassificationTable): string {
  const document = parse(sdl);
  const classify = (typeName: string, field: FieldDefinitionNode): FieldDefinitionNode => {
    const classification = table[`${typeName}.${field.name.value}`];
    if (!classification) return field;
    const type = classification.level !== 'UNCONDITIONAL' && field.type.kind === Kind.NON_NULL_TYPE ? field.type.type : field.type;
    return { ...field, type, directives: [...(field.directives ?? []), sharing(classification)] };
  };
  const classified = {
    ...document,
    definitions: document.definitions.map((definition) =>
      FIELD_OWNERS.has(definition.kind) && 'fields' in definition && definition.fields
        ? {
            ...definition,
            fields: (definition.fields as readonly FieldDefinitionNode[]).map((field) => classify(definition.name.value, field)),
          }
        : definition,
    ),
  } as DocumentNode;
  return print(classified);
}

/** The fixture with the table applied to each subgraph; throws for a coordinate no subgraph declares. */
export function classifyFixture(fixture: SupergraphFixture, table: ClassificationTable): SupergraphFixture {
  const declared = new Set<string>();
  for (const subgraph of fixture.subgraphs) {
    for (const definition of parse(subgraph.sdl).definitions) {
      if (!FIELD_OWNERS.has(definition.kind) || !('fields' in definition)) continue;
      for (const field of (definition.fields ?? []) as readonly FieldDefinitionNode[])
        declared.add(`${definition.name.value}.${field.name.value}`);
    }
  }
  const unknown = Object.keys(table).filter((coordinate) => !declared.has(coordinate));
  if (unknown.length > 0) throw new Error(`${fixture.name}: no subgraph declares ${unknown.join(', ')}`);
  return { ...fixture, subgraphs: fixture.subgraphs.map((subgraph) => ({ ...subgraph, sdl: classifySdl(subgraph.sdl, table) })) };
}
