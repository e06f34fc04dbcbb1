import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';
import { postGraphQL, startStack, type Stack } from './stack';

/** Production: tokens from an identity provider, verified against its JWKS, issuer and audience. */
describe('tokens verified against a JWKS', () => {
  let stack: Stack;
  let jwks: Server;
  const provider = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const claims = { department: 'civil-affairs', roles: ['officer'], areas: ['610921'], name: '外部用户' };
  const token = (key = provider.privateKey, kid = 'provider-1', issuer = 'https://idp.example.gov.cn') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('u-1')
      .setIssuer(issuer)
      .setAudience('govgraph-api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
  const ask = async (bearer: string) =>
    postGraphQL(stack.gatewayUrl, '{ residents(first: 1) { totalCount } }', undefined, {
      authorization: `Bearer ${bearer}`,
      'x-purpose': 'service',
    });

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(provider.publicKey)), kid: 'provider-1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    stack = await startStack({
      residents: 100,
      seed: 43,
      auth: { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, issuer: 'https://idp.example.gov.cn', audience: 'govgraph-api' },
    });
  });
  afterAll(async () => {
    await stack.stop();
    jwks.close();
  });

  it('accepts a token the provider signed', async () => {
    expect(await ask(await token())).toMatchObject({ status: 200, data: { residents: { totalCount: 100 } } });
  });

  it.each([
    ['a key the provider does not publish', () => token(stranger.privateKey, 'other-key'), /unknown key|signature/],
    ['another issuer', () => token(provider.privateKey, 'provider-1', 'https://elsewhere.example'), /claim "iss"/],
  ])('refuses a token from %s', async (_case, make, message) => {
    const result = await ask(await make());
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it('does not accept the sandbox’s own tokens once a JWKS is configured', async () => {
    expect((await ask(await stack.token())).status).toBe(401);
  });

  it('offers no sample identities, and tells browser apps which issuer it accepts', async () => {
    expect((await fetch(new URL('/sandbox/identities', stack.gatewayUrl))).status).toBe(404);
    expect(await (await fetch(new URL('/auth/config', stack.gatewayUrl))).json()).toEqual({
      issuer: 'https://idp.example.gov.cn',
      audience: 'govgraph-api',
      sandbox: false,
    });
  });
});
