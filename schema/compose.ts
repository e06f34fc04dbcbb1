import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { buildStewardSchema, STEWARD_SUBGRAPH } from '../gateway/steward/steward.schema';
import path from 'node:path';
import { projectRoot } from '../common/project-root';
import { civilAffairsSchema } from '../subgraphs/civil-affairs/schema';
import { gridSchema } from '../subgraphs/grid/schema';
import { buildFederatedSchema, type FederatedSchemaParts } from '../subgraphs/kit/federated-schema';
import { petitionsSchema } from '../subgraphs/petitions/schema';

/** The checked-in artifacts live next to this file. */
export const SCHEMA_DIR = path.join(projectRoot(), 'schema');

const fromParts = (parts: FederatedSchemaParts) => () => buildFederatedSchema(parts);

/** The departments' subgraphs, and the steward subgraph the gateway serves itself (its URL is never called). */
const SUBGRAPHS: readonly { name: string; url: string; build: () => Promise<GraphQLSchema> }[] = [
  { name: 'civil-affairs', url: 'http://localhost:4001/graphql', build: fromParts(civilAffairsSchema) },
  { name: 'petitions', url: 'http://localhost:4002/graphql', build: fromParts(petitionsSchema) },
  { name: 'grid', url: 'http://localhost:4003/graphql', build: fromParts(gridSchema) },
  { name: STEWARD_SUBGRAPH, url: 'http://localhost:4000/steward', build: async () => buildStewardSchema() },
];

export interface Composition {
  subgraphs: { name: string; file: string; sdl: string }[];
  supergraph: string;
}

/** Prints each subgraph's SDL and composes the supergraph; fails with composition's own messages. */
export async function composeSupergraph(): Promise<Composition> {
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async ({ name, build }) => ({
      name,
      file: `${name}.graphql`,
      sdl: `${printSubgraphSchema(await build()).trim()}\n`,
    })),
  );
  const result = composeServices(
    subgraphs.map(({ name, sdl }, i) => ({ name, typeDefs: parse(sdl), url: SUBGRAPHS[i]!.url })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return { subgraphs, supergraph: `${result.supergraphSdl.trim()}\n` };
}
