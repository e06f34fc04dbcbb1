import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { createDataSource, openDataSource } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { DEPARTMENTS, findDepartment } from '../../common/departments';
import { encodeContext, signRequest } from '../../common/governance-context';
import { GATEWAY_KEY_FOLDER, gatewayKeyFile, loadSecret, subgraphKeyFolder } from '../../common/key-files';
import { sealRecord } from '../../gateway/audit/audit-record';
import { AUDIT_COLUMNS, toRow } from '../../gateway/audit/audit-rows';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import { serviceEnv } from '../../scripts/service-env';
import { signedWithKey } from '../helpers/signing-key';
import { auditEntry } from './audit-entry';
import { postGraphQL, startStack, type Stack } from './stack';

/**
 * Each department is its own trust domain. In the sandbox a department's
 * subgraph is given its own key folder (DATA_DIR/keys/<name>/) and its own
 * database; nothing in them signs a call another department's subgraph
 * accepts, nor a token the gateway accepts, nor an audit record the
 * gateway's trail verifies.
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

  it.each(pairs)('%s’s subgraph is given no variable of %s’s nor of the gateway’s by npm start', (a, b) => {
    // The operator's environment with every secret set: what the supervisor passes on to a.
    const full: NodeJS.ProcessEnv = { DATA_DIR: stack.dataDir, LOG_LEVEL: 'info' };
    for (const { env } of DEPARTMENTS) full[env.databaseUrl] = `postgres://user:secret@db/${env.databaseUrl}`;
    for (const key of ['GOVERNANCE_SIGNING_KEY', 'AUDIT_CHAIN_KEY', 'PSEUDONYM_KEY', 'GATEWAY_DATABASE_URL', 'GOVERNANCE_VERIFY_KEYS']) {
      full[key] = 'secret';
    }
    const given = serviceEnv(a, full, DEPARTMENTS);
    const own = DEPARTMENTS.find(({ name }) => name === a)!.env.databaseUrl;
    expect(Object.keys(given).sort()).toEqual(['DATA_DIR', 'LOG_LEVEL', own].sort());
    expect(given).not.toHaveProperty(DEPARTMENTS.find(({ name }) => name === b)!.env.databaseUrl);
    // The gateway keeps its own secrets and no department's database.
    expect(Object.keys(serviceEnv('gateway', full, DEPARTMENTS)).sort()).toEqual(
      ['DATA_DIR', 'LOG_LEVEL', 'GOVERNANCE_SIGNING_KEY', 'AUDIT_CHAIN_KEY', 'PSEUDONYM_KEY', 'GATEWAY_DATABASE_URL'].sort(),
    );
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

  /**
   * A record sealed with `key` and appended after the gateway's newest one, in
   * a copy of the gateway's database (as someone who could write that file
   * would), and the trail verified there with the gateway's real key.
   */
  const appendSealedWith = async (key: Buffer, copy: string) => {
    new Database(path.join(stack.dataDir, 'gateway.sqlite'), { readonly: true }).exec(`VACUUM INTO '${copy}'`);
    const db = { kind: 'sqlite' as const, path: copy };
    const dataSource = await openDataSource(
      createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()),
      db,
    );
    try {
      await dataSource.query('DROP TRIGGER audit_event_no_update');
      const [head] = (await dataSource.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1')) as {
        seq: number;
        hash: string;
      }[];
      // A steward's search that never happened, to cover someone's tracks.
      const entry = auditEntry(1, {
        sub: 'steward-1',
        department: 'data-office',
        roles: ['steward'],
        purpose: 'supervision',
        subjects: [],
      });
      const forged = sealRecord(key, head!.seq + 1, head!.hash, entry);
      await dataSource.query(
        `INSERT INTO audit_event (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
        toRow(forged),
      );
      const auditKey = loadSecret('AUDIT_CHAIN_KEY', undefined, gatewayKeyFile(stack.dataDir, 'audit-chain.key'));
      return { seq: forged.seq, verdict: await verifyAuditTrail(dataSource, auditKey, path.join(stack.dataDir, 'audit-anchor.json')) };
    } finally {
      await dataSource.destroy();
    }
  };

  it.each(DEPARTMENTS.map(({ name }) => name))('nothing %s’s subgraph holds seals an audit record the trail verifies', async (a) => {
    // Some real records first, so the forgery continues a real chain: an answer with personal data
    // leaves only once its record is committed (a public one's record could still be queued).
    expect((await stack.query('{ residents(first: 1) { nodes { name } } }')).status).toBe(200);
    // The control: sealed with the gateway's own key, the appended record verifies, so the refusals below are the key's.
    const real = loadSecret('AUDIT_CHAIN_KEY', undefined, gatewayKeyFile(stack.dataDir, 'audit-chain.key'));
    expect((await appendSealedWith(real, path.join(stack.dataDir, `control-${a}.sqlite`))).verdict).toMatchObject({ intact: true });
    const secrets = holdings(a);
    for (const [i, secret] of secrets.entries()) {
      const { seq, verdict } = await appendSealedWith(secret, path.join(stack.dataDir, `forged-${a}-${i}.sqlite`));
      expect(verdict).toMatchObject({ intact: false, seq, problem: 'edited' });
    }
  });
});
