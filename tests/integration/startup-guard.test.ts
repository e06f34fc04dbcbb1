import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../common/logger';
import { loadGatewayConfig } from '../../gateway/config';
import { startGateway } from '../../gateway/server';
import { composeEditedTo as composeWith } from './compose-with';

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
