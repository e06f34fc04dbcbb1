import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeContext, signRequest, type SigningKey } from '../../common/governance-context';
import { createLogger } from '../../common/logger';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import type { RunningDepartment } from '../../subgraphs/department-server';
import { department } from '../../subgraphs/social-security/server';
import { newSigningKey } from '../helpers/signing-key';
import { postGraphQL } from './stack';

/**
 * Social security's own verifier on its live listener: it answers only what
 * the gateway signed for it, and a signed request once, across two instances
 * on one database and across a restart (the nonce is kept in its storage).
 */
describe('the social-security subgraph’s signed listener', () => {
  const { signingKey, verifyKeys } = newSigningKey('social-security');
  const QUERY = '{ socialSecuritySummary(areaCode: "610921") { total } }';
  const body = JSON.stringify({ query: QUERY });
  const caller = encodeContext({
    sub: 'ca-1',
    department: 'civil-affairs',
    roles: ['officer'],
    areas: ['610921'],
    purpose: 'assistance',
    requestId: 'replay',
  });
  const reasons: string[] = [];
  const logger = createLogger('social-security', 'warn', {
    write: (line: string) => {
      const entry = JSON.parse(line) as { msg: string; reason?: string };
      if (entry.msg === 'refused an unsigned or badly signed request') reasons.push(entry.reason!);
    },
  });
  let dir: string;
  const running: RunningDepartment[] = [];
  const start = async () => {
    const instance = await department.start(
      { ...loadDepartmentConfig('social-security', { DATA_DIR: path.join(dir, 'data') }), port: 0, verifyKeys },
      logger,
    );
    running.push(instance);
    return instance;
  };
  const stop = async (instance: RunningDepartment) => {
    running.splice(running.indexOf(instance), 1);
    await instance.stop();
  };
  const signed = (key: SigningKey = signingKey, audience = 'social-security') => ({ ...signRequest(key, audience, caller, body) });
  const post = (instance: RunningDepartment, headers: Record<string, string>, sent = body) =>
    postGraphQL<{ socialSecuritySummary: { total: number } }>(instance.url, QUERY, undefined, headers, sent);
  /** The 401 every refusal gets, whatever the reason: the reason goes to the log alone. */
  const expectRefused = async (instance: RunningDepartment, headers: Record<string, string>, reason: string, sent = body) => {
    reasons.length = 0;
    expect(await post(instance, headers, sent)).toEqual({
      status: 401,
      errors: [{ message: 'Subgraphs answer only requests signed by the gateway', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(reasons).toEqual([reason]);
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-social-security-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((instance) => instance.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a request the gateway signed for it, and keeps its database and nonces 0600 in a 0700 folder', async () => {
    const instance = await start();
    expect(await post(instance, signed())).toEqual({ status: 200, data: { socialSecuritySummary: { total: 0 } } });
    // The folder is made by the subgraph itself.
    expect(statSync(path.join(dir, 'data')).mode & 0o777).toBe(0o700);
    for (const file of ['social-security.sqlite', 'social-security.nonces.sqlite']) {
      expect(statSync(path.join(dir, 'data', file)).mode & 0o777).toBe(0o600);
    }
    await stop(instance);
  });

  it('refuses unsigned, badly signed and wrong-audience requests, and direct _entities and _service calls', async () => {
    const instance = await start();
    await expectRefused(instance, {}, 'missing x-govgraph-context');
    await expectRefused(instance, signed(newSigningKey().signingKey), 'unknown key id');
    await expectRefused(instance, signed({ ...newSigningKey().signingKey, keyId: signingKey.keyId }), 'bad signature');
    await expectRefused(instance, signed(signingKey, 'civil-affairs'), 'bad signature');
    await expectRefused(instance, signed(), 'bad signature', JSON.stringify({ query: QUERY.replace('610921', '61') }));
    for (const query of ['{ _service { sdl } }', '{ _entities(representations: [{ __typename: "Resident", id: "x" }]) { __typename } }']) {
      expect((await postGraphQL(instance.url, query)).status).toBe(401);
    }
    await stop(instance);
  });

  it('accepts a signed request once: refused again by a second instance on the same database, and after a restart', async () => {
    const [a, b] = [await start(), await start()];
    const headers = signed();
    expect((await post(a, headers)).status).toBe(200);
    await expectRefused(b, headers, 'replayed request');
    await expectRefused(a, headers, 'replayed request');
    // A fresh signature goes through either instance.
    expect((await post(b, signed())).status).toBe(200);
    await stop(a);
    await stop(b);
    const restarted = await start();
    await expectRefused(restarted, headers, 'replayed request');
    expect((await post(restarted, signed())).status).toBe(200);
  });
});
