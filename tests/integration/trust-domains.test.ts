import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { DEPARTMENTS, findDepartment } from '../../common/departments';
import { encodeContext, signRequest } from '../../common/governance-context';
import { GATEWAY_KEY_FOLDER, subgraphKeyFolder } from '../../common/key-files';
import { signedWithKey } from '../helpers/signing-key';
import { postGraphQL, startStack, type Stack } from './stack';

/**
 * Each department is its own trust domain. In the sandbox a department's
 * subgraph is given its own key folder (DATA_DIR/keys/<name>/) and its own
 * database; nothing in them signs a call another department's subgraph
 * accepts, nor a token the gateway accepts.
 */
describe('departments as trust domains', () => {
  let stack: Stack;
  const QUERY = '{ __typename }';
  const body = JSON.stringify({ query: QUERY });
  const caller = encodeContext({
    sub: 'intruder',
    department: 'civil-affairs',
    roles: ['officer'],
    areas: ['610921'],
    purpose: 'service',
    requestId: 'trust-domains',
  });

  beforeAll(async () => {
    stack = await startStack({ residents: 100, seed: 5 });
  });
  afterAll(() => stack.stop());

  /** Every secret a department's subgraph is given: the files of its key folder. */
  const holdings = (department: string): Buffer[] => {
    const folder = subgraphKeyFolder(stack.dataDir, findDepartment(department).keys);
    return readdirSync(folder).map((file) => readFileSync(path.join(folder, file)));
  };

  /** Calls to `audience` signed every way one can with `secret`: as that subgraph's key, and as a master key. */
  const forgeries = (secret: Buffer, audience: string): Record<string, string>[] => {
    return [
      signedWithKey(secret, stack.signingKey.keyId, audience, caller, body),
      { ...signRequest({ keyId: stack.signingKey.keyId, master: secret }, audience, caller, body) },
    ];
  };

  it('gives each department its own key folder, 0700, with files 0600, and its database 0600', () => {
    for (const { name, keys } of DEPARTMENTS) {
      const folder = subgraphKeyFolder(stack.dataDir, keys);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      for (const file of readdirSync(folder)) expect(statSync(path.join(folder, file)).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(stack.dataDir, `${name}.sqlite`)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(path.join(stack.dataDir, 'gateway.sqlite')).mode & 0o777).toBe(0o600);
  });

  it('keeps the gateway’s keys (master, audit chain, pseudonym, token issuer) out of every department’s folder: each holds its own key alone', () => {
    const gatewayKeys = readdirSync(path.join(stack.dataDir, GATEWAY_KEY_FOLDER));
    expect(gatewayKeys.sort()).toEqual(['audit-chain.key', 'governance-signing.key', 'pseudonym.key', 'sandbox-token-key.pem']);
    const gatewaySecrets = gatewayKeys.map((file) => readFileSync(path.join(stack.dataDir, GATEWAY_KEY_FOLDER, file)));
    for (const { name, keys } of DEPARTMENTS) {
      expect(readdirSync(subgraphKeyFolder(stack.dataDir, keys))).toEqual([`governance-${stack.signingKey.keyId}.key`]);
      for (const secret of holdings(name)) expect(gatewaySecrets.some((gatewaySecret) => gatewaySecret.equals(secret))).toBe(false);
    }
  });

  const pairs = DEPARTMENTS.flatMap((a) => DEPARTMENTS.filter((b) => b !== a).map((b) => [a.name, b.name] as const));

  it.each(pairs)('nothing %s’s subgraph holds signs a call %s’s subgraph accepts', async (a, b) => {
    const secrets = holdings(a);
    expect(secrets.length).toBeGreaterThan(0);
    // The real gateway's call goes through, so a refusal below is the forgery's.
    expect((await stack.querySubgraphSigned(stack.subgraphs[b]!.url, QUERY)).status).toBe(200);
    for (const secret of secrets) {
      for (const headers of forgeries(secret, b)) {
        expect((await postGraphQL(stack.subgraphs[b]!.url, QUERY, undefined, headers, body)).status).toBe(401);
      }
    }
  });

  it.each(DEPARTMENTS.map(({ name }) => name))('nothing %s’s subgraph holds signs a token the gateway accepts', async (a) => {
    for (const secret of holdings(a)) {
      const token = await new SignJWT({ department: 'data-office', roles: ['steward'], areas: ['610921'] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject('intruder')
        .setIssuer('govgraph-sandbox')
        .setAudience('govgraph')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(secret);
      const result = await postGraphQL(stack.gatewayUrl, '{ auditEvents(first: 1) { totalCount } }', undefined, {
        authorization: `Bearer ${token}`,
        'x-purpose': 'supervision',
      });
      expect(result.status).toBe(401);
    }
  });
});
