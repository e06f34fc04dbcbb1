import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { projectRoot } from '../../common/project-root';
import { createLogger } from '../../common/logger';
import { loadGatewayConfig } from '../../gateway/config';
import { startGateway } from '../../gateway/server';

/** The checked-in subgraph SDLs, one of them changed by `edit`, composed into a supergraph file in `dir`. */
function composeWith(dir: string, subgraph: string, edit: (sdl: string) => string): string {
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
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, result.supergraphSdl);
  return file;
}

describe('gateway start-up on a schema the access engine cannot govern', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-guard-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fails at start naming an interface field whose implementation is classified otherwise, instead of answering per request', async () => {
    const supergraphPath = composeWith(
      dir,
      'grid',
      (sdl) =>
        `${sdl.replace(/^type GridCell\b/m, 'type GridCell implements Placed')}\n` +
        'interface Placed {\n  areaCode: String @sharing(level: "CONDITIONAL")\n}\n',
    );
    const config = { ...loadGatewayConfig({ DATA_DIR: dir }), supergraphPath, port: 0 };
    await expect(startGateway(config, createLogger('gateway', 'silent'))).rejects.toThrow(
      /cannot govern this supergraph: GridCell\.areaCode is UNCONDITIONAL but Placed\.areaCode is CONDITIONAL/,
    );
  });

  it('starts on the same subgraphs with a union added, and stops cleanly', async () => {
    const supergraphPath = composeWith(
      dir,
      'grid',
      (sdl) =>
        `${sdl}\nunion GridThing = GridCell | Incident\n\nextend type Query {\n  gridThings: [GridThing!]! @sharing(level: "UNCONDITIONAL")\n}\n`,
    );
    const config = { ...loadGatewayConfig({ DATA_DIR: dir }), supergraphPath, port: 0 };
    const gateway = await startGateway(config, createLogger('gateway', 'silent'));
    await gateway.stop();
  });
});
