import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import path from 'node:path';
import { projectRoot } from '../common/project-root';
import { civilAffairsSchema } from '../subgraphs/civil-affairs/schema';
import { gridSchema } from '../subgraphs/grid/schema';
import { buildFederatedSchema, type FederatedSchemaParts } from '../subgraphs/kit/federated-schema';
import { petitionsSchema } from '../subgraphs/petitions/schema';

/** The checked-in artifacts live next to this file. */
export const SCHEMA_DIR = path.join(projectRoot(), 'schema');

const SUBGRAPHS: readonly { name: string; port: number; parts: FederatedSchemaParts }[] = [
  { name: 'civil-affairs', port: 4001, parts: civilAffairsSchema },
  { name: 'petitions', port: 4002, parts: petitionsSchema },
  { name: 'grid', port: 4003, parts: gridSchema },
];

export interface Composition {
  subgraphs: { name: string; file: string; sdl: string }[];
  supergraph: string;
}

/** Prints each subgraph's SDL and composes the supergraph; fails with composition's own messages. */
export async function composeSupergraph(): Promise<Composition> {
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async ({ name, parts }) => ({
      name,
      file: `${name}.graphql`,
      sdl: `${printSubgraphSchema(await buildFederatedSchema(parts)).trim()}\n`,
    })),
  );
  const result = composeServices(
    subgraphs.map(({ name, sdl }, i) => ({ name, typeDefs: parse(sdl), url: `http://localhost:${SUBGRAPHS[i]!.port}/graphql` })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return { subgraphs, supergraph: `${result.supergraphSdl.trim()}\n` };
}
