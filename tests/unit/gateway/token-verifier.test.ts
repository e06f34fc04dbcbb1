import { generateKeyPairSync } from 'node:crypto';
import { UnauthenticatedError } from '../../../common/errors';
import { identityFromClaims } from '../../../gateway/identity/identity';
import { mintSandboxToken, SANDBOX_AUDIENCE, SANDBOX_ISSUER } from '../../../gateway/identity/sandbox-keys';
import { createTokenVerifier } from '../../../gateway/identity/token-verifier';

describe('the token verifier remembers verified tokens', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const settings = { issuer: SANDBOX_ISSUER, audience: SANDBOX_AUDIENCE };
  const identity = identityFromClaims({ sub: 'w-1', department: 'grid', roles: ['grid_worker'], areas: ['610921101201'] });
  const start = Date.parse('2026-11-22T08:00:00Z');

  function clock() {
    let at = start;
    return { now: () => at, advance: (ms: number) => (at += ms) };
  }

  it('answers a known token from memory, but never after it expires', async () => {
    const time = clock();
    const verify = createTokenVerifier(settings, publicKey, { now: time.now, ttlMs: 3_600_000 });
    const token = await mintSandboxToken(privateKey, identity, 60, start);
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'w-1', areas: ['610921101201'] });
    time.advance(60_000);
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'w-1' });
    // Past exp and the 5 s of clock tolerance: refused although it was verified before.
    time.advance(6_000);
    await expect(verify(`Bearer ${token}`)).rejects.toThrow(new UnauthenticatedError('token has expired'));
  });

  it('verifies again after its time to live, so a key that is no longer trusted stops working', async () => {
    const time = clock();
    let trusted = publicKey;
    // A key source that can change, as a JWKS can.
    const rotating = createTokenVerifier(settings, () => trusted, { now: time.now, ttlMs: 60_000 });
    const token = await mintSandboxToken(privateKey, identity, 3600, start);
    await expect(rotating(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'w-1' });
    trusted = other.publicKey;
    time.advance(30_000);
    await expect(rotating(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'w-1' });
    time.advance(31_000);
    await expect(rotating(`Bearer ${token}`)).rejects.toThrow(new UnauthenticatedError('token signature is not valid'));
  });

  it('keys the memory on the exact token: a forged signature on the same claims is refused', async () => {
    const verify = createTokenVerifier(settings, publicKey);
    const token = await mintSandboxToken(privateKey, identity, 3600);
    await verify(`Bearer ${token}`);
    const forged = await mintSandboxToken(other.privateKey, identity, 3600);
    await expect(verify(`Bearer ${forged}`)).rejects.toThrow(new UnauthenticatedError('token signature is not valid'));
  });

  it('hands out an identity nobody can change for the next request', async () => {
    const verify = createTokenVerifier(settings, publicKey);
    const token = await mintSandboxToken(privateKey, identity, 3600);
    const first = await verify(`Bearer ${token}`);
    expect(() => (first.areas as string[]).push('610921')).toThrow(TypeError);
    expect((await verify(`Bearer ${token}`)).areas).toEqual(['610921101201']);
  });

  it('forgets the least recently used token when full', async () => {
    let trusted = publicKey;
    const verify = createTokenVerifier(settings, () => trusted, { size: 2 });
    const tokens = await Promise.all([1, 2, 3].map((n) => mintSandboxToken(privateKey, { ...identity, sub: `w-${n}` }, 600)));
    await verify(`Bearer ${tokens[0]}`);
    await verify(`Bearer ${tokens[1]}`);
    // Used again: the second token is now the least recently used, and goes when the third comes.
    await verify(`Bearer ${tokens[0]}`);
    await verify(`Bearer ${tokens[2]}`);
    trusted = other.publicKey;
    // The remembered two are answered from memory; the forgotten one is verified again against a key that no longer matches.
    await expect(verify(`Bearer ${tokens[0]}`)).resolves.toMatchObject({ sub: 'w-1' });
    await expect(verify(`Bearer ${tokens[2]}`)).resolves.toMatchObject({ sub: 'w-3' });
    await expect(verify(`Bearer ${tokens[1]}`)).rejects.toThrow(new UnauthenticatedError('token signature is not valid'));
  });
});
