import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  encodeContext,
  keyIdOf,
  SignatureError,
  signRequest,
  subgraphKey,
  verifyRequest,
  type GovernanceContext,
} from '../../../common/governance-context';
import { projectRoot } from '../../../common/project-root';
import { openNonceStore } from '../../../subgraphs/kit/nonce-ledger';

interface Vectors {
  key: {
    masterKeyHex: string;
    masterKeyBase64: string;
    keyId: string;
    subgraph: string;
    subgraphKeyHex: string;
    subgraphKeyBase64: string;
  };
  request: { audience: string; nonce: string; timestamp: string; context: GovernanceContext; encodedContext: string; body: string };
  signedBytes: string;
  headers: Record<string, string>;
  cases: { name: string; audience: string; now: number; body?: string; headers?: Record<string, string>; verdict: string }[];
}

/** The protocol's published test vectors, which a department's verifier in another language is checked against too. */
const vectors = JSON.parse(readFileSync(path.join(projectRoot(), 'docs', 'subgraph-protocol-vectors.json'), 'utf8')) as Vectors;

describe('the subgraph protocol’s test vectors', () => {
  const master = Buffer.from(vectors.key.masterKeyHex, 'hex');
  const own = subgraphKey(master, vectors.key.subgraph);

  it('derive the key id and the subgraph’s own key, and encode the context, as published', () => {
    expect(Buffer.from(vectors.key.masterKeyBase64, 'base64')).toEqual(master);
    expect(keyIdOf(master)).toBe(vectors.key.keyId);
    expect(own.toString('hex')).toBe(vectors.key.subgraphKeyHex);
    expect(own.toString('base64')).toBe(vectors.key.subgraphKeyBase64);
    expect(encodeContext(vectors.request.context)).toBe(vectors.request.encodedContext);
    const { audience, nonce, timestamp, encodedContext, body } = vectors.request;
    expect(vectors.signedBytes).toBe(`${audience}.${nonce}.${timestamp}.${encodedContext}.${body}`);
  });

  it('are what the gateway’s signer sends', () => {
    const { audience, encodedContext, body, timestamp, nonce } = vectors.request;
    expect(signRequest({ keyId: vectors.key.keyId, master }, audience, encodedContext, body, Number(timestamp), nonce)).toEqual(
      vectors.headers,
    );
  });

  it('get the published verdict from the subgraph’s verifier, which holds its own key only, case by case against one nonce ledger', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'govgraph-vectors-'));
    const nonces = await openNonceStore({ kind: 'sqlite', path: path.join(folder, 'civil-affairs.sqlite') });
    const keys = (keyId: string) => (keyId === vectors.key.keyId ? own : undefined);
    const verdicts: { name: string; verdict: string }[] = [];
    for (const c of vectors.cases) {
      try {
        const context = await verifyRequest(
          keys,
          c.audience,
          { ...vectors.headers, ...c.headers },
          c.body ?? vectors.request.body,
          nonces,
          c.now,
        );
        expect(context).toEqual(vectors.request.context);
        verdicts.push({ name: c.name, verdict: 'accept' });
      } catch (error) {
        if (!(error instanceof SignatureError)) throw error;
        verdicts.push({ name: c.name, verdict: error.message });
      }
    }
    await nonces.close();
    rmSync(folder, { recursive: true, force: true });
    expect(verdicts).toEqual(vectors.cases.map(({ name, verdict }) => ({ name, verdict })));
  });
});
