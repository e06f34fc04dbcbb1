import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives, type IResolvers } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { SHARING_DIRECTIVE_DEFINITION, SHARING_LINK } from './sharing';

const FEDERATION_LINK = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@composeDirective"])
  @link(url: "${SHARING_LINK}", import: ["@sharing"])
  @composeDirective(name: "@sharing")

${SHARING_DIRECTIVE_DEFINITION}
`;

export interface FederatedSchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's own resolver class type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's own class type
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type; each must go through a per-request loader. */
  referenceResolvers: IResolvers;
}

/**
 * type-graphql builds the schema from the decorated classes; its SDL (with
 * directives) goes through `buildSubgraphSchema`, which adds `_entities` and
 * `_service`, and the type-graphql resolvers are re-attached.
 */
export async function buildFederatedSchema(parts: FederatedSchemaParts): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: parts.resolvers,
    orphanedTypes: parts.orphanedTypes ?? [],
    validate: { forbidUnknownValues: false },
    skipCheck: true,
  });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, fields] of Object.entries(parts.referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...(fields as Record<string, unknown>) };
  }
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`),
    resolvers: resolvers as never,
  });
}
