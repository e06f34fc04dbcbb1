import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, SCHEMA_DIR } from '../schema/compose';

/** `npm run compose`: regenerates schema/*.graphql from the subgraphs' code. */
async function main(): Promise<void> {
  const { subgraphs, supergraph } = await composeSupergraph();
  for (const { file, sdl } of subgraphs) writeFileSync(path.join(SCHEMA_DIR, file), sdl);
  writeFileSync(path.join(SCHEMA_DIR, 'supergraph.graphql'), supergraph);
  process.stdout.write(`wrote ${subgraphs.length} subgraph schemas and supergraph.graphql to ${SCHEMA_DIR}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
