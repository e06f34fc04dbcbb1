import { perReplicaRateLimits } from '../../../scripts/cluster/cluster';
import { gatewayServerTimeoutMs, haproxyConfig, subgraphServerTimeoutMs } from '../../../scripts/cluster/haproxy';

describe('the local cluster', () => {
  it('gives each gateway replica its share of the configured rates, so that the cluster allows about them', () => {
    const configured = { perCaller: 100, perAddress: 300, callerConcurrency: 32, callerCostInFlight: 30_000 };
    expect(perReplicaRateLimits(configured, 1)).toEqual(configured);
    expect(perReplicaRateLimits(configured, 2)).toEqual({
      perCaller: 50,
      perAddress: 150,
      callerConcurrency: 16,
      callerCostInFlight: 15_000,
    });
    // Rounded up, never to nothing: 0 stays "no limit", a limit stays a limit.
    expect(perReplicaRateLimits(configured, 3)).toEqual({
      perCaller: 34,
      perAddress: 100,
      callerConcurrency: 11,
      callerCostInFlight: 10_000,
    });
    expect(perReplicaRateLimits({ perCaller: 0, perAddress: 1, callerConcurrency: 0, callerCostInFlight: 0 }, 4)).toEqual({
      perCaller: 0,
      perAddress: 1,
      callerConcurrency: 0,
      callerCostInFlight: 0,
    });
  });

  it('lets the gateway give up on a subgraph before HAProxy does, and HAProxy wait out any answer of a gateway', () => {
    for (const [subgraphTimeoutMs, shutdownTimeoutMs] of [
      [10_000, 20_000],
      [29_000, 20_000],
      [1_000, 600_000],
    ] as const) {
      const gateway = gatewayServerTimeoutMs(subgraphTimeoutMs, shutdownTimeoutMs);
      const subgraph = subgraphServerTimeoutMs(subgraphTimeoutMs);
      expect(subgraph).toBeGreaterThan(subgraphTimeoutMs);
      expect(gateway).toBeGreaterThan(shutdownTimeoutMs);
      expect(gateway).toBeGreaterThan(3 * subgraphTimeoutMs);
    }
  });

  it('writes one frontend for clients and one per department, each backend health-checked on /readyz', () => {
    const config = haproxyConfig({
      frontPort: 4000,
      statsPort: 4100,
      socket: '/tmp/x/haproxy.sock',
      gateways: [
        { name: 'gateway-1', port: 5001 },
        { name: 'gateway-2', port: 5002 },
      ],
      departments: [{ name: 'grid', frontPort: 4003, replicas: [{ name: 'grid-1', port: 6001 }] }],
      subgraphTimeoutMs: 10_000,
      shutdownTimeoutMs: 20_000,
    });
    const section = (name: string) => {
      const start = config.indexOf(`\n${name}\n`);
      const end = config.indexOf('\n\n', start + 1);
      return config.slice(start, end === -1 ? undefined : end);
    };
    expect(section('frontend gateway')).toContain('bind 127.0.0.1:4000');
    expect(section('backend gateways')).toContain('server gateway-1 127.0.0.1:5001 check');
    expect(section('backend gateways')).toContain('server gateway-2 127.0.0.1:5002 check');
    expect(section('backend gateways')).toContain('http-request disable-l7-retry if { req.body -m sub -i mutation }');
    expect(section('backend gateways')).toContain('timeout server 60000');
    expect(section('frontend grid')).toContain('bind 127.0.0.1:4003');
    expect(section('backend grid')).toContain('server grid-1 127.0.0.1:6001 check');
    expect(section('backend grid')).toContain('timeout server 15000');
    expect(section('defaults')).toContain('option httpchk GET /readyz');
    expect(section('defaults')).toContain('retry-on conn-failure empty-response');
    expect(section('defaults')).toContain('option redispatch 1');
  });
});
