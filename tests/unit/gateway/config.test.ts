import { ConfigError } from '../../../common/env';
import { loadGatewayConfig } from '../../../gateway/config';
import { planShutdown } from '../../../gateway/shutdown';

describe('the gateway’s limits on its subgraph calls', () => {
  it('default to 10 s and 32 connections per subgraph', () => {
    const config = loadGatewayConfig({});
    expect(config.subgraphTimeoutMs).toBe(10_000);
    expect(config.subgraphConnections).toBe(32);
  });

  it('take a timeout below the signature window, and refuse one a subgraph could never honour', () => {
    expect(loadGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '29000' }).subgraphTimeoutMs).toBe(29_000);
    for (const bad of ['30000', '0', '99', '1.5', '10s', '-1']) {
      expect(() => loadGatewayConfig({ SUBGRAPH_TIMEOUT_MS: bad })).toThrow(ConfigError);
    }
    expect(() => loadGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '30000' })).toThrow(
      'SUBGRAPH_TIMEOUT_MS must be a whole number from 100 to 29000, got "30000"',
    );
  });

  it('refuse no connections at all, or an unbounded number', () => {
    for (const bad of ['0', '1025', 'many']) expect(() => loadGatewayConfig({ SUBGRAPH_CONNECTIONS: bad })).toThrow(ConfigError);
    expect(loadGatewayConfig({ SUBGRAPH_CONNECTIONS: '4' }).subgraphConnections).toBe(4);
  });
});

describe('the gateway’s shutdown deadline', () => {
  it('defaults to 20 s, and refuses one too short to write the audit in, or longer than ten minutes', () => {
    expect(loadGatewayConfig({}).shutdownTimeoutMs).toBe(20_000);
    expect(loadGatewayConfig({ SHUTDOWN_TIMEOUT_MS: '1000' }).shutdownTimeoutMs).toBe(1_000);
    for (const bad of ['999', '600001', '0', '20s']) expect(() => loadGatewayConfig({ SHUTDOWN_TIMEOUT_MS: bad })).toThrow(ConfigError);
  });

  it('gives requests in flight all but a quarter of it (at most 5 s), and commits until shortly before the end', () => {
    expect(planShutdown(20_000, 0)).toEqual({ deadline: 20_000, cutoff: 15_000, drainUntil: 19_000, lockWaitMs: 500 });
    expect(planShutdown(60_000, 0)).toEqual({ deadline: 60_000, cutoff: 55_000, drainUntil: 59_000, lockWaitMs: 500 });
    expect(planShutdown(2_000, 0)).toEqual({ deadline: 2_000, cutoff: 1_500, drainUntil: 1_833, lockWaitMs: 84 });
  });
});

describe('a gateway replica’s name', () => {
  it('gives the replica its own anchor and spool beside the others', () => {
    const config = loadGatewayConfig({ DATA_DIR: '/srv/govgraph', GATEWAY_REPLICA: 'gateway-1' });
    expect(config.replica).toBe('gateway-1');
    expect(config.auditAnchorPath).toBe('/srv/govgraph/audit-anchor.gateway-1.json');
    expect(config.auditSpoolPath).toBe('/srv/govgraph/audit-spool.gateway-1.jsonl');
    const single = loadGatewayConfig({ DATA_DIR: '/srv/govgraph' });
    expect([single.replica, single.auditAnchorPath, single.auditSpoolPath]).toEqual([
      undefined,
      '/srv/govgraph/audit-anchor.json',
      '/srv/govgraph/audit-spool.jsonl',
    ]);
  });

  it('is refused when it could name a file elsewhere', () => {
    for (const name of ['../x', 'a/b', '-x', 'a'.repeat(64), 'a b']) {
      expect(() => loadGatewayConfig({ GATEWAY_REPLICA: name })).toThrow(/GATEWAY_REPLICA must be 1 to 63 letters/);
    }
  });
});

describe('a replica’s anchor given as a path', () => {
  it('still gets the replica’s name, so that a setting shared by every replica names one file each', () => {
    const env = { AUDIT_ANCHOR_PATH: '/anchors/trail.json' };
    expect(loadGatewayConfig({ ...env, GATEWAY_REPLICA: 'gateway-2' }).auditAnchorPath).toBe('/anchors/trail.gateway-2.json');
    expect(loadGatewayConfig(env).auditAnchorPath).toBe('/anchors/trail.json');
  });
});
