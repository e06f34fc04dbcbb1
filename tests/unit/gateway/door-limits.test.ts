import type { IncomingMessage } from 'node:http';
import { RateLimitedError } from '../../../common/errors';
import type { AuditEntry } from '../../../gateway/audit/audit-record';
import { addressKey, clientAddressResolver } from '../../../gateway/request/client-address';
import { RateLimits, TokenBuckets } from '../../../gateway/request/rate-limits';
import { INDIVIDUAL_PER_WINDOW, RefusalSummaries } from '../../../gateway/request/refusal-summaries';

describe('token buckets', () => {
  it('lets a burst of twice the rate through, then one request per 1/rate seconds', () => {
    const buckets = new TokenBuckets(5);
    const at = 1_000_000;
    for (let i = 0; i < 10; i += 1) expect(buckets.take('a', at)).toBe(0);
    expect(buckets.take('a', at)).toBeCloseTo(0.2);
    // Refused requests take nothing: after 0.2 s there is exactly one token again.
    expect(buckets.take('a', at + 200)).toBe(0);
    expect(buckets.take('a', at + 200)).toBeGreaterThan(0);
    // Other keys have their own bucket.
    expect(buckets.take('b', at)).toBe(0);
  });

  it('takes nothing away when the clock steps back', () => {
    const buckets = new TokenBuckets(1);
    expect(buckets.take('a', 1_000_000)).toBe(0);
    expect(buckets.take('a', 0)).toBe(0);
    expect(buckets.take('a', 0)).toBeGreaterThan(0);
    expect(buckets.take('a', 1_000)).toBe(0);
  });

  it('refills to the burst and no further', () => {
    const buckets = new TokenBuckets(2);
    for (let i = 0; i < 4; i += 1) buckets.take('a', 0);
    expect(buckets.take('a', 0)).toBeGreaterThan(0);
    let taken = 0;
    while (buckets.take('a', 3_600_000) === 0) taken += 1;
    expect(taken).toBe(4);
  });

  it('remembers a bounded number of keys, forgetting the least recently seen', () => {
    const buckets = new TokenBuckets(1);
    for (let i = 0; i < 100_010; i += 1) buckets.take(`k${i}`, 0);
    expect(buckets.size).toBe(100_000);
  });
});

describe('rate limits at the door', () => {
  it('refuses with 429 RATE_LIMITED and whole seconds to wait', () => {
    const limits = new RateLimits({ perCaller: 1, perAddress: 0, callerConcurrency: 0, callerCostInFlight: 0 });
    limits.admitCaller('c', 0);
    limits.admitCaller('c', 0);
    let refusal: unknown;
    try {
      limits.admitCaller('c', 0);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal).toMatchObject({ status: 429, retryAfterSeconds: 1, extensions: { code: 'RATE_LIMITED', retryAfter: 1 } });
  });

  it('holds a caller to its requests in flight until they are released', () => {
    const limits = new RateLimits({ perCaller: 0, perAddress: 0, callerConcurrency: 2, callerCostInFlight: 0 });
    limits.admitCaller('c');
    limits.admitCaller('c');
    expect(() => limits.admitCaller('c')).toThrow(RateLimitedError);
    limits.admitCaller('other');
    limits.release('c');
    limits.admitCaller('c');
    limits.release('c');
    limits.release('c');
    limits.release('other');
    expect(limits.running).toBe(0);
  });

  it('holds the cost of a caller’s operations in flight to its allowance, always letting one through', () => {
    const limits = new RateLimits({ perCaller: 0, perAddress: 0, callerConcurrency: 0, callerCostInFlight: 1_000 });
    limits.admitCost('c', 5_000);
    expect(() => limits.admitCost('c', 1)).toThrow(RateLimitedError);
    limits.releaseCost('c', 5_000);
    limits.admitCost('c', 600);
    limits.admitCost('c', 400);
    expect(() => limits.admitCost('c', 1)).toThrow(RateLimitedError);
    limits.admitCost('other', 900);
    limits.releaseCost('c', 400);
    limits.admitCost('c', 400);
  });

  it('does nothing when every limit is 0', () => {
    const limits = new RateLimits({ perCaller: 0, perAddress: 0, callerConcurrency: 0, callerCostInFlight: 0 });
    for (let i = 0; i < 10_000; i += 1) {
      limits.admitAddress('a', 0);
      limits.admitCaller('c', 0);
    }
    expect(limits.running).toBe(0);
  });
});

describe('the client address', () => {
  const request = (peer: string, forwarded?: string) =>
    ({
      socket: { remoteAddress: peer },
      headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    }) as unknown as IncomingMessage;

  it('is the peer, whatever X-Forwarded-For says, unless the peer is a trusted proxy', () => {
    const resolve = clientAddressResolver(['10.0.0.1']);
    expect(resolve(request('::ffff:192.0.2.7', '198.51.100.1'))).toBe('192.0.2.7');
    expect(resolve(request('10.0.0.1', '198.51.100.1'))).toBe('198.51.100.1');
    // The client can write hops on the left; only the proxy's own hop on the right counts.
    expect(resolve(request('10.0.0.1', '1.1.1.1, 198.51.100.1'))).toBe('198.51.100.1');
    expect(resolve(request('10.0.0.1', '198.51.100.1, 10.0.0.1'))).toBe('198.51.100.1');
    expect(resolve(request('10.0.0.1', 'not-an-address'))).toBe('10.0.0.1');
    expect(resolve(request('10.0.0.1'))).toBe('10.0.0.1');
  });

  it('is counted by its /64 when it is IPv6', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:DB8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
  });
});

describe('refusal summaries', () => {
  const entry = (status: number): AuditEntry => ({
    at: new Date(0).toISOString(),
    requestId: 'r',
    sub: null,
    department: null,
    roles: [],
    purpose: null,
    clientName: 'c',
    clientVersion: null,
    operationType: null,
    operationName: 'Op',
    documentHash: null,
    decisions: [],
    subjects: [],
    outcome: 'refused',
    status,
    durationMs: 0,
    address: '192.0.2.7',
  });

  it('records the first requests of a key one by one, then counts the rest into one summary per ending', () => {
    const written: AuditEntry[] = [];
    let now = 0;
    const summaries = new RefusalSummaries(
      (e) => written.push(e),
      60_000,
      () => now,
    );
    for (let i = 0; i < 100; i += 1) summaries.offer('address 192.0.2.7', entry(i % 2 ? 401 : 429));
    expect(written).toHaveLength(INDIVIDUAL_PER_WINDOW);
    now = 60_000;
    // The next request opens a new window and closes the last one, whose summaries are written first.
    summaries.offer('address 192.0.2.7', entry(401));
    const summed = written.filter((e) => e.requestCount !== null && e.requestCount !== undefined);
    expect(summed.map((e) => [e.status, e.requestCount])).toEqual([
      [429, 45],
      [401, 45],
    ]);
    expect(summed[0]).toMatchObject({
      at: new Date(0).toISOString(),
      durationMs: 60_000,
      address: '192.0.2.7',
      operationName: null,
      clientName: null,
    });
    expect(written).toHaveLength(INDIVIDUAL_PER_WINDOW + 3);
    summaries.stop();
    expect(written).toHaveLength(INDIVIDUAL_PER_WINDOW + 3);
  });

  it('writes what it is still counting when stopped, and keeps keys apart', () => {
    const written: AuditEntry[] = [];
    const summaries = new RefusalSummaries(
      (e) => written.push(e),
      60_000,
      () => 0,
    );
    for (let i = 0; i < 15; i += 1) summaries.offer('a', entry(401));
    for (let i = 0; i < 3; i += 1) summaries.offer('b', entry(401));
    expect(written).toHaveLength(INDIVIDUAL_PER_WINDOW + 3);
    summaries.stop();
    expect(written.map((e) => e.requestCount ?? 1).reduce((a, b) => a + b)).toBe(18);
  });
});
