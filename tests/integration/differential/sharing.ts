/**
 * The permissive classification: every field of every object and interface
 * type (definitions and extensions; not input fields) gets
 * `@sharing(level: "UNCONDITIONAL")`, behind the same @link/@composeDirective
 * header the project's own subgraphs use (schema/*.graphql), so composition
 * carries it into the supergraph for govgraph's catalog.
 */
import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type FieldDefinitionNode } from 'graphql';
import { SHARING_DIRECTIVE_DEFINITION, SHARING_LINK } from '../../../common/sharing-directive';

const FEDERATION_IMPORTS = [
  '@key',
  '@shareable',
  '@external',
  '@requires',
  '@provides',
  '@override',
  '@interfaceObject',
  '@composeDirective',
];

const HEADER = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ${JSON.stringify(FEDERATION_IMPORTS)})
  @link(url: "${SHARING_LINK}", import: ["@sharing"])
  @composeDirective(name: "@sharing")

${SHARING_DIRECTIVE_DEFINITION}
`;

const UNCONDITIONAL: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'sharing' },
  arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'level' }, value: { kind: Kind.STRING, value: 'UNCONDITIONAL' } }],
};

const FIELD_OWNERS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
]);

/** The subgraph's SDL with the header, and every object and interface field classified UNCONDITIONAL. */
export function withSharing(sdl: string): DocumentNode {
  const document = parse(`${HEADER}\n${sdl}`);
  const classify = (field: FieldDefinitionNode): FieldDefinitionNode =>
    field.directives?.some((directive) => directive.name.value === 'sharing')
      ? field
      : { ...field, directives: [...(field.directives ?? []), UNCONDITIONAL] };
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      FIELD_OWNERS.has(definition.kind) && 'fields' in definition && definition.fields
        ? { ...definition, fields: (definition.fields as readonly FieldDefinitionNode[]).map(classify) }
        : definition,
    ),
  } as DocumentNode;
}
