/**
 * What a differential supergraph is made of: a few subgraphs, each its SDL
 * (written without classifications: ./sharing.ts adds them) and resolvers
 * over fixed in-memory data, and the argument values the operation
 * generator may use.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';

export interface SubgraphFixture {
  name: string;
  /** The subgraph's own types; the federation and @sharing @link header is added by ./sharing.ts. */
  sdl: string;
  resolvers: GraphQLResolverMap<unknown>;
}

export interface SupergraphFixture {
  name: string;
  subgraphs: SubgraphFixture[];
  /**
   * Literal values the generator may pass, by argument name (`id`, `term`),
   * else by the argument's named input type (`ID`, `String`, `Int`); enum and
   * Boolean values come from the schema.
   */
  argumentValues: { byName: Record<string, unknown[]>; byType: Record<string, unknown[]> };
  /** Field levels below the root in generated operations, when not the default. */
  maxFieldDepth?: number;
}
