import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { supergraphProblems } from '../gateway/access/governable-schema';
import { buildStewardSchema, STEWARD_SUBGRAPH } from '../gateway/steward/steward.schema';
import path from 'node:path';
import { projectRoot } from '../common/project-root';
import { DEPARTMENTS } from '../common/departments';
import { loadDepartment } from '../subgraphs/departments';

/** The checked-in artifacts live next to this file. */
export const SCHEMA_DIR = path.join(projectRoot(), 'schema');

interface ComposedSubgraph {
  name: string;
  /** Written into the supergraph as the default; the gateway overrides each department's from its configuration. */
  url: string;
  file: string;
  build: () => Promise<GraphQLSchema>;
}

/** The departments of the registry, and the steward subgraph the gateway serves itself (its URL is never called). */
const SUBGRAPHS: readonly ComposedSubgraph[] = [
  ...DEPARTMENTS.map((department) => ({
    name: department.name,
    url: `http://localhost:${department.defaultPort}/graphql`,
    file: path.basename(department.schemaFile),
    build: async () => (await loadDepartment(department)).schema(),
  })),
  {
    name: STEWARD_SUBGRAPH,
    url: 'http://localhost:4000/steward',
    file: `${STEWARD_SUBGRAPH}.graphql`,
    build: async () => buildStewardSchema(),
  },
];

export interface Composition {
  subgraphs: { name: string; file: string; sdl: string }[];
  supergraph: string;
}

/** Prints each subgraph's SDL and composes the supergraph; fails with composition's own messages, or naming each field misclassified. */
export async function composeSupergraph(): Promise<Composition> {
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async ({ name, file, build }) => ({
      name,
      file,
      sdl: `${printSubgraphSchema(await build()).trim()}\n`,
    })),
  );
  const result = composeServices(subgraphs.map(({ name, sdl }, i) => ({ name, typeDefs: parse(sdl), url: SUBGRAPHS[i]!.url })));
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  const problems = supergraphProblems(result.supergraphSdl);
  if (problems.length > 0)
    throw new Error(`Composition refused: the sharing catalog is incomplete or inconsistent:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  return { subgraphs, supergraph: `${result.supergraphSdl.trim()}\n` };
}
