import 'reflect-metadata';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeContext, signRequest, SIGNATURE_WINDOW_MS, type SigningKey } from '../../common/governance-context';
import { handOutSubgraphKeys, loadGovernanceSigningKey } from '../../common/key-files';
import { createLogger } from '../../common/logger';
import { subgraph as civilAffairs } from '../../subgraphs/civil-affairs/server';
import { subgraph as grid } from '../../subgraphs/grid/server';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import { findDepartment } from '../../common/departments';
import { nonceFileFor } from '../../subgraphs/kit/nonce-ledger';
import { startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '../../subgraphs/kit/subgraph';
import { DEFAULT_AS_OF, seedDatabases } from '../../synth/seed-databases';
import { postGraphQL } from './stack';

/**
 * A signed call is accepted once: by one replica of a subgraph, not by a
 * second replica on the same database, not by the subgraph after a restart,
 * and never when its body, audience or time is not what was signed. Every
 * refusal is checked by the reason the subgraph logs, so a replay is known to
 * be refused as a replay and not for some other fault.
 */
describe('replaying a signed call', () => {
  const QUERY = '{ residents(first: 1) { totalCount } }';
  const body = JSON.stringify({ query: QUERY });
  const caller = encodeContext({
    sub: 'o-1',
    department: 'civil-affairs',
    roles: ['officer'],
    areas: ['610921'],
    purpose: 'service',
    requestId: 'replay',
  });
  let dir: string;
  let key: SigningKey;
  const reasons: string[] = [];
  const logs = { write: (line: string) => void reasons.push(...[JSON.parse(line) as { reason?: string }].flatMap((l) => l.reason ?? [])) };

  const start = <L, S>(definition: SubgraphDefinition<L, S>, name: string) =>
    startSubgraph(
      definition,
      { ...loadDepartmentConfig(name, { DATA_DIR: dir, LOG_LEVEL: 'warn' }), port: 0 },
      createLogger(name, 'warn', logs),
    );
  const send = async (subgraph: RunningSubgraph, headers: Record<string, string>, sent = body) =>
    (await postGraphQL(subgraph.url, QUERY, undefined, headers, sent)).status;
  /** The status and the reason logged for it, if refused. */
  const verdict = async (subgraph: RunningSubgraph, headers: Record<string, string>, sent = body) => {
    const before = reasons.length;
    const status = await send(subgraph, headers, sent);
    return { status, reason: reasons.slice(before).join(', ') || undefined };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-replay-'));
    await seedDatabases({ residents: 50, seed: 3, asOf: DEFAULT_AS_OF }, (name) => ({
      kind: 'sqlite',
      path: path.join(dir, `${name}.sqlite`),
    }));
    key = loadGovernanceSigningKey(undefined, dir);
    handOutSubgraphKeys(key, dir, [findDepartment('civil-affairs'), findDepartment('grid')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused by a second replica on the same database, and by the first after a restart', async () => {
    const [first, second] = [await start(civilAffairs, 'civil-affairs'), await start(civilAffairs, 'civil-affairs')];
    const signed = { ...signRequest(key, 'civil-affairs', caller, body) };
    try {
      expect(await verdict(first, signed)).toEqual({ status: 200, reason: undefined });
      expect(await verdict(second, signed)).toEqual({ status: 401, reason: 'replayed request' });
      expect(await verdict(first, signed)).toEqual({ status: 401, reason: 'replayed request' });
      // A fresh signature over the same body is a new call, and either replica takes it once.
      const again = { ...signRequest(key, 'civil-affairs', caller, body) };
      expect(await verdict(second, again)).toEqual({ status: 200, reason: undefined });
      expect(await verdict(first, again)).toEqual({ status: 401, reason: 'replayed request' });
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const restarted = await start(civilAffairs, 'civil-affairs');
    try {
      expect(await verdict(restarted, signed)).toEqual({ status: 401, reason: 'replayed request' });
    } finally {
      await restarted.stop();
    }
    expect(statSync(nonceFileFor(path.join(dir, 'civil-affairs.sqlite'))).mode & 0o777).toBe(0o600);
  });

  it('lets exactly one of many concurrent copies through, across two replicas', async () => {
    const replicas = [await start(civilAffairs, 'civil-affairs'), await start(civilAffairs, 'civil-affairs')];
    try {
      const signed = { ...signRequest(key, 'civil-affairs', caller, body) };
      const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => send(replicas[i % 2]!, signed)));
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 401)).toHaveLength(19);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  });

  it('is refused with its body altered, sent to another subgraph, or once outside the signature window', async () => {
    const [civil, gridSubgraph] = [await start(civilAffairs, 'civil-affairs'), await start(grid, 'grid')];
    try {
      const signed = { ...signRequest(key, 'civil-affairs', caller, body) };
      const altered = body.replace('first: 1', 'first: 100');
      expect(await verdict(civil, signed, altered)).toEqual({ status: 401, reason: 'bad signature' });
      expect(await verdict(gridSubgraph, signed)).toEqual({ status: 401, reason: 'bad signature' });
      // Refusing the altered and the misdirected copies did not use up the nonce: the original still goes through, once.
      expect(await verdict(civil, signed)).toEqual({ status: 200, reason: undefined });
      const stale = { ...signRequest(key, 'civil-affairs', caller, body, Date.now() - SIGNATURE_WINDOW_MS - 1_000) };
      expect(await verdict(civil, stale)).toEqual({ status: 401, reason: 'timestamp outside the signature window' });
      const early = { ...signRequest(key, 'civil-affairs', caller, body, Date.now() + SIGNATURE_WINDOW_MS + 1_000) };
      expect(await verdict(civil, early)).toEqual({ status: 401, reason: 'timestamp outside the signature window' });
    } finally {
      await Promise.all([civil.stop(), gridSubgraph.stop()]);
    }
  });
});
