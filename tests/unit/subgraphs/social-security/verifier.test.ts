import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../../common/project-root';
import { migrate } from '../../../../subgraphs/social-security/migrations/migrate';
import { NONCE_MIGRATIONS } from '../../../../subgraphs/social-security/migrations/nonces';
import { SqlNonceLedger } from '../../../../subgraphs/social-security/nonce-ledger';
import { openSql, type Sql } from '../../../../subgraphs/social-security/sql';
import { createVerifier } from '../../../../subgraphs/social-security/verifier';

interface Vectors {
  key: { masterKeyHex: string; keyId: string; subgraph: string; subgraphKeyHex: string };
  request: { context: Record<string, unknown>; body: string };
  headers: Record<string, string>;
  cases: { name: string; audience: string; now: number; body?: string; headers?: Record<string, string>; verdict: string }[];
}

/** The protocol's published vectors (docs/subgraph-protocol-vectors.json), which any department's verifier must pass. */
const vectors = JSON.parse(readFileSync(path.join(projectRoot(), 'docs', 'subgraph-protocol-vectors.json'), 'utf8')) as Vectors;

/** A subgraph's own key as the protocol derives it: what the gateway hands out to `audience`. */
const ownKey = (audience: string) =>
  createHmac('sha256', Buffer.from(vectors.key.masterKeyHex, 'hex')).update(`govgraph subgraph:${audience}`).digest();

describe('social security’s verifier, written from the protocol document', () => {
  let dir: string;
  let sql: Sql;
  let ledger: SqlNonceLedger;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-verifier-'));
    sql = openSql({ kind: 'sqlite', path: path.join(dir, 'social-security.nonces.sqlite') }, { count: 0 });
    await migrate(sql, 'nonce_migration', NONCE_MIGRATIONS);
    ledger = new SqlNonceLedger(sql);
  });
  afterEach(async () => {
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The verifier of subgraph `audience`, holding its own key only, remembering nonces in the one ledger. */
  const verifierOf = (audience: string, now: number) =>
    createVerifier({
      audience,
      keys: (keyId) => (keyId === vectors.key.keyId ? ownKey(audience) : undefined),
      nonces: ledger,
      now: () => now,
    });

  it('derives the published key of civil affairs', () => {
    expect(ownKey(vectors.key.subgraph).toString('hex')).toBe(vectors.key.subgraphKeyHex);
  });

  it('reaches every published verdict, case by case in order, the replayed request refused from the ledger', async () => {
    const verdicts = [];
    for (const c of vectors.cases) {
      const verdict = await verifierOf(c.audience, c.now)({ ...vectors.headers, ...c.headers }, c.body ?? vectors.request.body);
      if (verdict.accepted) expect(verdict.context).toEqual(vectors.request.context);
      verdicts.push({ name: c.name, verdict: verdict.accepted ? 'accept' : verdict.reason });
    }
    expect(verdicts).toEqual(vectors.cases.map(({ name, verdict }) => ({ name, verdict })));
  });

  it('still refuses the nonce after a restart, and forgets it only once its time is up', async () => {
    const first = vectors.cases[0]!;
    const replay = () => verifierOf(first.audience, first.now)(vectors.headers, vectors.request.body);
    expect(await replay()).toMatchObject({ accepted: true });
    await sql.close();
    sql = openSql({ kind: 'sqlite', path: path.join(dir, 'social-security.nonces.sqlite') }, { count: 0 });
    ledger = new SqlNonceLedger(sql);
    expect(await replay()).toEqual({ accepted: false, reason: 'replayed request' });
    // Remembered until its timestamp + 60 s: twice the window in which the timestamp is acceptable.
    const timestamp = Number(vectors.headers['x-govgraph-timestamp']);
    await ledger.forgetExpired(timestamp + 60_000);
    expect(await sql.query('SELECT nonce FROM accepted_nonce')).toHaveLength(1);
    await ledger.forgetExpired(timestamp + 60_001);
    expect(await sql.query('SELECT nonce FROM accepted_nonce')).toHaveLength(0);
  });

  it.each([
    ['a header missing', { 'x-govgraph-nonce': undefined }, 'missing x-govgraph-nonce'],
    ['a timestamp that is not digits', { 'x-govgraph-timestamp': '1764547200000.5' }, 'timestamp outside the signature window'],
    ['a nonce too short', { 'x-govgraph-nonce': 'short' }, 'malformed nonce'],
    ['a context with a dot', { 'x-govgraph-context': 'e30.e30' }, 'malformed context'],
    ['a signature of another length', { 'x-govgraph-signature': 'AAAA' }, 'bad signature'],
  ])('refuses %s, saying why', async (_case, headers, reason) => {
    const verdict = await verifierOf(vectors.key.subgraph, vectors.cases[0]!.now)({ ...vectors.headers, ...headers }, vectors.request.body);
    expect(verdict).toEqual({ accepted: false, reason });
  });

  it('refuses a correctly signed context that is not the protocol’s shape, after using up its nonce', async () => {
    const context = Buffer.from(JSON.stringify({ sub: 'x', areas: '61' })).toString('base64url');
    const [nonce, timestamp] = ['n'.repeat(16), vectors.headers['x-govgraph-timestamp']!];
    const signature = createHmac('sha256', ownKey('civil-affairs'))
      .update(`civil-affairs.${nonce}.${timestamp}.${context}.`)
      .update(vectors.request.body)
      .digest('base64url');
    const headers = {
      ...vectors.headers,
      'x-govgraph-context': context,
      'x-govgraph-nonce': nonce,
      'x-govgraph-signature': signature,
    };
    expect(await verifierOf('civil-affairs', Number(timestamp))(headers, vectors.request.body)).toEqual({
      accepted: false,
      reason: 'malformed context',
    });
    expect(await sql.query('SELECT nonce FROM accepted_nonce')).toEqual([{ nonce }]);
  });
});
