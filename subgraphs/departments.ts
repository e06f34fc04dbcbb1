import path from 'node:path';
import type { Department } from '../common/departments';
import type { SubgraphDefinition } from './kit/subgraph';

/**
 * From the department registry to code: each department's folder exports its
 * definition as `subgraph` from `server`, so whoever runs or composes every
 * department (composition, tests, benchmark) finds them through the registry
 * instead of importing each by name. Lives outside kit/, which may not reach
 * into a department, and outside any one department.
 */
export type AnySubgraph = SubgraphDefinition<unknown, unknown>;

export async function loadSubgraph(department: Department): Promise<AnySubgraph> {
  // Relative to this file, so it resolves to the sources under ts-jest and to dist/ when compiled.
  const module = (await import(path.join(__dirname, '..', department.folder, 'server'))) as { subgraph?: AnySubgraph };
  const subgraph = module.subgraph;
  if (!subgraph || subgraph.name !== department.name) {
    throw new Error(`${department.folder}/server must export the subgraph of ${department.name} as \`subgraph\``);
  }
  return subgraph;
}
