import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SubgraphUnavailableError } from '../../common/errors';
import type { GatewayContext } from '../request/request-context';
import type { FindEntities } from './reference-check.plugin';

/** Which entity-type names may be put into the lookup's query text. */
const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Looks entities up through federation's own entry point (`_entities`) on the
 * subgraph's signed client, as part of the caller's request: the call carries
 * the caller's context, so the subgraph answers only within the caller's
 * areas, and it reads nothing but the key.
 */
export function findEntitiesThrough(client: (subgraph: string) => GraphQLDataSource<GatewayContext>): FindEntities {
  return async (subgraph, type, ids, requestContext) => {
    if (!TYPE_NAME.test(type)) throw new Error(`not a type name: ${type}`);
    // An incoming operation's call, as Apollo's gateway makes them (the kind's enum is not exported).
    const options = {
      kind: 'incoming operation',
      request: {
        query: `query ReferenceCheck($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${type} { id } } }`,
        variables: { representations: ids.map((id) => ({ __typename: type, id })) },
      },
      incomingRequestContext: requestContext,
      context: requestContext.contextValue,
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    const response = await client(subgraph).process(options);
    const entities = (response.data as { _entities?: ({ id?: unknown } | null)[] } | undefined)?._entities;
    // A missing entity is null (with an error of its own); no list at all is a failed lookup.
    if (!Array.isArray(entities)) throw new SubgraphUnavailableError(subgraph);
    return new Set(entities.flatMap((entity, i) => (entity?.id === ids[i] ? [ids[i]!] : [])));
  };
}
