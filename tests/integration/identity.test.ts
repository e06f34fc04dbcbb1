import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { projectRoot } from '../../common/project-root';
import { SignJWT, UnsecuredJWT } from 'jose';
import { loadSandboxSigningKey, SANDBOX_AUDIENCE, SANDBOX_ISSUER } from '../../gateway/identity/sandbox-keys';
import { expectNothingInternal } from './expect-error';
import { COUNTY_OFFICER, postGraphQL, startStack, type Stack } from './stack';

const QUERY = '{ benefitSummary(areaCode: "610921") { activeCount } }';

describe('identity and purpose at the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 300, seed: 17 });
  });
  afterAll(() => stack.stop());

  const send = (headers: Record<string, string>) => postGraphQL(stack.gatewayUrl, QUERY, undefined, headers);
  const claims = {
    name: COUNTY_OFFICER.name,
    department: COUNTY_OFFICER.department,
    roles: COUNTY_OFFICER.roles,
    areas: COUNTY_OFFICER.areas,
  };
  const foreignKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const signed = (change: (jwt: SignJWT) => SignJWT, body: Record<string, unknown> = claims) =>
    change(new SignJWT(body).setProtectedHeader({ alg: 'ES256' }).setSubject('someone').setIssuedAt().setExpirationTime('1h')).sign(
      foreignKey,
    );

  // Signed with the sandbox's own key, so only the claim under test is wrong.
  const sandboxSigned = (change: (jwt: SignJWT) => SignJWT) =>
    change(new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setSubject('someone').setIssuedAt().setExpirationTime('1h')).sign(
      loadSandboxSigningKey(stack.dataDir).privateKey,
    );

  it('answers a caller with a valid sandbox token and a purpose', async () => {
    const result = await stack.query(QUERY);
    expect(result).toMatchObject({ status: 200, data: { benefitSummary: { activeCount: expect.any(Number) } } });
  });

  it.each<[string, () => Promise<Record<string, string>>, RegExp]>([
    ['no Authorization header', async () => ({}), /Authorization: Bearer <JWT> is required/],
    ['a non-Bearer scheme', async () => ({ authorization: 'Basic dXNlcjpwYXNz' }), /must be "Bearer <JWT>"/],
    ['a malformed token', async () => ({ authorization: 'Bearer not.a.jwt' }), /malformed|could not be verified/],
    ['an expired token', async () => ({ authorization: `Bearer ${await stack.token({}, -60)}` }), /token has expired/],
    [
      'an unsigned token (alg none)',
      async () => ({
        authorization: `Bearer ${new UnsecuredJWT(claims).setSubject('x').setIssuer(SANDBOX_ISSUER).setAudience(SANDBOX_AUDIENCE).setExpirationTime('1h').encode()}`,
      }),
      /algorithm is not allowed|malformed/,
    ],
    [
      'a token signed by another key',
      async () => ({ authorization: `Bearer ${await signed((j) => j.setIssuer(SANDBOX_ISSUER).setAudience(SANDBOX_AUDIENCE))}` }),
      /signature is not valid/,
    ],
    [
      'a token for another audience',
      async () => ({ authorization: `Bearer ${await sandboxSigned((j) => j.setIssuer(SANDBOX_ISSUER).setAudience('another-api'))}` }),
      /claim "aud" is not valid/,
    ],
    [
      'a token from another issuer',
      async () => ({ authorization: `Bearer ${await sandboxSigned((j) => j.setIssuer('someone-else').setAudience(SANDBOX_AUDIENCE))}` }),
      /claim "iss" is not valid/,
    ],
    ['a token without the areas claim', async () => ({ authorization: `Bearer ${await stack.token({ areas: [] })}` }), /claim "areas"/],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_case, headers, message) => {
    const result = await send({ ...(await headers()), 'x-purpose': 'service' });
    expect(result.status).toBe(401);
    expect(result.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(result.data).toBeUndefined();
    expectNothingInternal(result);
  });

  it.each([
    ['no X-Purpose', null, /X-Purpose is required/],
    ['an unknown purpose', 'curiosity', /X-Purpose must be one of service, assistance, petition_handling, statistics, supervision/],
  ])('refuses %s with 400 PURPOSE_REQUIRED', async (_case, purpose, message) => {
    const result = await stack.query(QUERY, undefined, { purpose });
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'PURPOSE_REQUIRED' } }]);
  });

  it('accepts the token `npm run -s token` prints, and nothing but the token is printed', () => {
    const run = (args: string[]) =>
      spawnSync('npm', ['run', '-s', 'token', '--', ...args], {
        cwd: projectRoot(),
        env: { ...process.env, DATA_DIR: stack.dataDir },
        encoding: 'utf8',
      });
    const printed = run(['--sub', 'w-7', '--department', 'grid', '--roles', 'grid_worker', '--areas', '610921101', '--ttl', '10m']);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const refused = run(['--sub', 'w-7', '--department', 'grid', '--roles', 'grid_worker', '--areas', 'everywhere']);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('claim "areas"');
    return send({ authorization: `Bearer ${printed.stdout.trim()}`, 'x-purpose': 'assistance' }).then((result) => {
      expect({ status: result.status, data: result.data, errors: result.errors }).toEqual({
        status: 200,
        data: { benefitSummary: { activeCount: expect.any(Number) } },
        errors: undefined,
      });
    });
  }, 120_000);

  it('checks the token before the purpose', async () => {
    expect((await send({})).status).toBe(401);
  });

  it('serves the in-browser IDE and the health probes without a token', async () => {
    const ide = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(ide.status).toBe(200);
    expect(await ide.text()).toContain('<title>govgraph · GraphiQL</title>');
    expect((await fetch(new URL('/healthz', stack.gatewayUrl))).status).toBe(200);
  });

  it('never forwards the client Authorization header to a subgraph, and signs every subgraph request', async () => {
    const token = await stack.token();
    const { requestId } = await postGraphQL(
      stack.gatewayUrl,
      '{ residents(first: 2) { nodes { id careLevel gridCell { id } } } petitions(first: 1) { totalCount } }',
      undefined,
      {
        authorization: `Bearer ${token}`,
        'x-purpose': 'assistance',
        'x-request-id': 'forwarding-check',
        cookie: 'session=abc',
      },
    );
    const contextOf = (headers: Record<string, unknown>) =>
      JSON.parse(Buffer.from(String(headers['x-govgraph-context']), 'base64url').toString());
    const sent = Object.values(stack.received)
      .flat()
      .filter((request) => contextOf(request.headers).requestId === requestId);
    // The gateway's own id goes to subgraphs, not the one the client sent.
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.length).toBe(3);
    for (const request of sent) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers.cookie).toBeUndefined();
      expect(request.body).not.toContain(token);
      expect(request.headers['x-govgraph-signature']).toEqual(expect.any(String));
      expect(contextOf(request.headers)).toEqual({
        sub: COUNTY_OFFICER.sub,
        department: 'civil-affairs',
        roles: ['officer'],
        areas: ['610921'],
        purpose: 'assistance',
        requestId,
      });
    }
  });
});
