import { waitFor } from '../helpers/wait-for';
import { startStack, type Stack } from './stack';

/** GET /metrics, in Prometheus's text format, after a few requests of each kind. */
describe('the gateway’s metrics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 100, seed: 113 });
  });
  afterAll(() => stack.stop());

  const scrape = async () => {
    const response = await fetch(new URL('/metrics', stack.gatewayUrl));
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('counts requests by outcome and operation, decisions by action and reason, subgraph calls and audit commits', async () => {
    const answered = await stack.query('query People { residents(first: 2) { nodes { name careLevel } } }');
    expect(answered.status).toBe(200);
    expect((await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(
      401,
    );
    const text = await waitFor(
      async () => {
        const scraped = await scrape();
        return value(scraped, 'govgraph_requests_total{outcome="refused",status="401",operation="anonymous"}') ? scraped : undefined;
      },
      { what: 'the refusal counted' },
    );
    expect(value(text, 'govgraph_requests_total{outcome="partial",status="200",operation="People"}')).toBe(1);
    // The county officer's own name; the grid's careLevel denied without a grant.
    expect(value(text, 'govgraph_field_decisions_total{class="own",action="ALLOW",reason="OWNER"}')).toBeGreaterThan(0);
    expect(value(text, 'govgraph_field_decisions_total{class="conditional",action="DENY",reason="NO_GRANT"}')).toBeGreaterThan(0);
    expect(value(text, 'govgraph_subgraph_call_seconds_count{subgraph="civil-affairs",outcome="ok"}')).toBeGreaterThan(0);
    expect(value(text, 'govgraph_audit_commit_seconds_count')).toBeGreaterThan(0);
    expect(value(text, 'govgraph_audit_head')).toBeGreaterThan(0);
    expect(text).toMatch(/^govgraph_decision_cache\{kind="miss"\} \d+$/m);
    expect(text).toMatch(/^govgraph_subgraph_connections\{subgraph="grid",state="open"\} \d+$/m);
    expect(text).toMatch(/^govgraph_process_cpu_seconds_total \d/m);
    // Codes and bounded names only: none of the answer's values.
    for (const { name } of (answered.data as { residents: { nodes: { name: string }[] } }).residents.nodes)
      expect(text).not.toContain(name);
  });

  it('keeps operation names bounded: past 200 distinct names, the rest count as other', async () => {
    await Promise.all(
      Array.from({ length: 210 }, (_, i) =>
        // Each as its own caller, so that no caller's rate limit refuses one before its name is read.
        stack.query(
          `query Op${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}x { residents(first: 1) { totalCount } }`,
          undefined,
          {
            as: { sub: `metrics-${i}` },
          },
        ),
      ),
    );
    const text = await scrape();
    const operations = new Set([...text.matchAll(/^govgraph_requests_total\{[^}]*operation="([^"]+)"\}/gm)].map((match) => match[1]));
    // 200 names, and the two that are not names: anonymous and other.
    expect(operations.size).toBeLessThanOrEqual(200 + 2);
    expect(operations.has('other')).toBe(true);
  });
});
