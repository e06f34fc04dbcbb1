import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { projectRoot } from '../../common/project-root';

/** The checked-in subgraph SDLs composed, `subgraph`'s changed by `edit`: the supergraph's text. */
export function composeEdited(subgraph: string, edit: (sdl: string) => string): string {
  const schemaDir = path.join(projectRoot(), 'schema');
  const services = readdirSync(schemaDir)
    .filter((file) => file.endsWith('.graphql') && file !== 'supergraph.graphql')
    .map((file) => {
      const name = file.replace(/\.graphql$/, '');
      const sdl = readFileSync(path.join(schemaDir, file), 'utf8');
      return { name, url: `http://127.0.0.1:1/${name}`, typeDefs: parse(name === subgraph ? edit(sdl) : sdl) };
    });
  const result = composeServices(services);
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}

/** The same, written to `dir`/supergraph.graphql: its path. */
export function composeEditedTo(dir: string, subgraph: string, edit: (sdl: string) => string): string {
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, composeEdited(subgraph, edit));
  return file;
}
