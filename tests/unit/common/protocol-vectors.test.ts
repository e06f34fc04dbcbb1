import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  encodeContext,
  keyIdOf,
  ReplayGuard,
  SignatureError,
  signRequest,
  verifyRequest,
  type GovernanceContext,
} from '../../../common/governance-context';
import { projectRoot } from '../../../common/project-root';

interface Vectors {
  key: { privateKeyPem: string; publicKeyPem: string; keyId: string };
  request: { audience: string; nonce: string; timestamp: string; context: GovernanceContext; encodedContext: string; body: string };
  headers: Record<string, string>;
  cases: { name: string; audience: string; now: number; body?: string; headers?: Record<string, string>; verdict: string }[];
}

/** The protocol's published test vectors, which a department's verifier in another language is checked against too. */
const vectors = JSON.parse(readFileSync(path.join(projectRoot(), 'docs', 'subgraph-protocol-vectors.json'), 'utf8')) as Vectors;

describe('the subgraph protocol’s test vectors', () => {
  const privateKey = createPrivateKey(vectors.key.privateKeyPem);
  const publicKey = createPublicKey(vectors.key.publicKeyPem);

  it('name the public key by its id, and encode the context as published', () => {
    expect(keyIdOf(publicKey)).toBe(vectors.key.keyId);
    expect(keyIdOf(createPublicKey(privateKey))).toBe(vectors.key.keyId);
    expect(encodeContext(vectors.request.context)).toBe(vectors.request.encodedContext);
  });

  it('are what the gateway’s signer sends', () => {
    const { audience, encodedContext, body, timestamp, nonce } = vectors.request;
    expect(signRequest({ keyId: vectors.key.keyId, privateKey }, audience, encodedContext, body, Number(timestamp), nonce)).toEqual(
      vectors.headers,
    );
  });

  it('get the published verdict from the subgraphs’ verifier, case by case against one replay guard', () => {
    const replay = new ReplayGuard();
    const keys = (keyId: string) => (keyId === vectors.key.keyId ? publicKey : undefined);
    const verdicts = vectors.cases.map((c) => {
      try {
        const context = verifyRequest(
          keys,
          c.audience,
          { ...vectors.headers, ...c.headers },
          c.body ?? vectors.request.body,
          replay,
          c.now,
        );
        expect(context).toEqual(vectors.request.context);
        return { name: c.name, verdict: 'accept' };
      } catch (error) {
        if (!(error instanceof SignatureError)) throw error;
        return { name: c.name, verdict: error.message };
      }
    });
    expect(verdicts).toEqual(vectors.cases.map(({ name, verdict }) => ({ name, verdict })));
  });
});
