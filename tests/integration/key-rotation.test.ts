import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeContext, signRequest, subgraphKey, type SigningKey } from '../../common/governance-context';
import { createLogger } from '../../common/logger';
import { subgraph as grid } from '../../subgraphs/grid/server';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/kit/subgraph';
import { newSigningKey, signedWithKey } from '../helpers/signing-key';
import { postGraphQL } from './stack';

/**
 * Rotating the gateway's master key as docs/subgraph-protocol.md says: the
 * subgraph holds its own key under the old and the new master key side by
 * side, then the new one alone; no call signed with a key it was not given
 * gets through.
 */
describe('rotating the gateway’s signing key', () => {
  const oldKey = newSigningKey();
  const newKey = newSigningKey();
  const QUERY = '{ gridCells(first: 1) { totalCount } }';
  const body = JSON.stringify({ query: QUERY });
  const caller = encodeContext({
    sub: 'w-1',
    department: 'grid',
    roles: ['grid_worker'],
    areas: ['610921'],
    purpose: 'assistance',
    requestId: 'rotation',
  });
  let dir: string;

  const withKeys = async (verifyKeys: string, run: (subgraph: RunningSubgraph) => Promise<void>) => {
    const subgraph = await startSubgraph(
      grid,
      { ...loadDepartmentConfig('grid', { DATA_DIR: dir, LOG_LEVEL: 'silent' }), port: 0, verifyKeys },
      createLogger('grid', 'silent'),
    );
    try {
      await run(subgraph);
    } finally {
      await subgraph.stop();
    }
  };
  const status = async (subgraph: RunningSubgraph, key: SigningKey) =>
    (await postGraphQL(subgraph.url, QUERY, undefined, { ...signRequest(key, 'grid', caller, body) }, body)).status;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-rotation-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts calls signed with the old key only while it is given, the new key once it is', async () => {
    await withKeys(oldKey.verifyKeys, async (subgraph) => {
      expect(await status(subgraph, oldKey.signingKey)).toBe(200);
      expect(await status(subgraph, newKey.signingKey)).toBe(401);
    });
    // The overlap: the subgraph's key under the old master key and under the new one, comma-separated.
    await withKeys(`${oldKey.verifyKeys},${newKey.verifyKeys}`, async (subgraph) => {
      expect(await status(subgraph, oldKey.signingKey)).toBe(200);
      expect(await status(subgraph, newKey.signingKey)).toBe(200);
    });
    await withKeys(newKey.verifyKeys, async (subgraph) => {
      expect(await status(subgraph, oldKey.signingKey)).toBe(401);
      expect(await status(subgraph, newKey.signingKey)).toBe(200);
    });
  });

  it('accepts nothing signed with what another department’s subgraph holds, and starts on no malformed key', async () => {
    const { signingKey, verifyKeys } = newSigningKey('grid');
    // All the petitions subgraph holds of the protocol: its own key.
    const petitions = subgraphKey(signingKey.master, 'petitions');
    await withKeys(verifyKeys, async (subgraph) => {
      expect(await status(subgraph, signingKey)).toBe(200);
      // Used as the grid's key, or as a master key to derive the grid's from: refused either way.
      expect(
        (await postGraphQL(subgraph.url, QUERY, undefined, signedWithKey(petitions, signingKey.keyId, 'grid', caller, body), body)).status,
      ).toBe(401);
      expect(await status(subgraph, { keyId: signingKey.keyId, master: petitions })).toBe(401);
    });
    await expect(
      startSubgraph(
        grid,
        { ...loadDepartmentConfig('grid', { DATA_DIR: dir, LOG_LEVEL: 'silent' }), port: 0, verifyKeys: 'bm90IGEga2V5' },
        createLogger('grid', 'silent'),
      ),
    ).rejects.toThrow(/GOVERNANCE_VERIFY_KEYS/);
  });
});
