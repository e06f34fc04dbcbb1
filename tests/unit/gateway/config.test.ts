import { ConfigError } from '../../../common/env';
import { loadGatewayConfig } from '../../../gateway/config';

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
