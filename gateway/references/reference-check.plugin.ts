import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { BadUserInputError } from '../../common/errors';
import type { GatewayContext } from '../request/request-context';
import { collectReferences, type Reference, type ReferenceCatalog } from './references';

/** The ids of `type` among `ids` that its subgraph finds within the caller's areas. */
export type FindEntities = (
  subgraph: string,
  type: string,
  ids: readonly string[],
  requestContext: GraphQLRequestContextDidResolveOperation<GatewayContext>,
) => Promise<ReadonlySet<string>>;

/**
 * Before a mutation runs, every id it names through a referencing input field
 * is looked up at the department that owns the entity, as the caller (signed,
 * limited to the caller's areas). A department never reads another's tables:
 * petitions cannot see whether a resident exists, civil affairs can. An id
 * not found, absent or outside the caller's areas alike (the answer must not
 * tell the two apart), refuses the whole operation with BAD_USER_INPUT before
 * any subgraph is asked to write. A lookup that fails refuses it too.
 */
export function createReferenceCheckPlugin(catalog: ReferenceCatalog, find: FindEntities): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const { document, operation, schema, request } = requestContext;
          if (operation?.operation !== 'mutation' || catalog.fields.size === 0) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const references = collectReferences(schema, operation, fragments, request.variables ?? {}, catalog);
          for (const [type, named] of byType(references)) {
            const owner = catalog.owners.get(type);
            if (!owner) throw new Error(`the supergraph names no subgraph that defines ${type}, which an input field references`);
            const found = await find(owner, type, [...new Set(named.map((reference) => reference.id))], requestContext);
            const missing = named.find((reference) => !found.has(reference.id));
            if (missing) {
              throw new BadUserInputError(`${missing.field} does not name a ${type} within your areas`, {
                field: missing.field,
                http: { status: 400 },
              });
            }
          }
        },
      };
    },
  };
}

function byType(references: readonly Reference[]): Map<string, Reference[]> {
  const groups = new Map<string, Reference[]>();
  for (const reference of references) groups.set(reference.type, [...(groups.get(reference.type) ?? []), reference]);
  return groups;
}
