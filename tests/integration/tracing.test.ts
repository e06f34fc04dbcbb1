import { randomBytes } from 'node:crypto';
import { encodeContext, signRequest } from '../../common/governance-context';
import { createLogger } from '../../common/logger';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import { startTracing } from '../../common/tracing';
import { loadGatewayConfig } from '../../gateway/config';
import { waitFor } from '../helpers/wait-for';
import { startOtlpReceiver, SPAN_KIND, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { COUNTY_OFFICER, grantsWithSupervision, startStack, type Stack } from './stack';

/** The cross-department query of cross-department.test.ts: civil affairs, then the grid and petitions. */
const PETITIONER = `query Petitioner($id: ID!) {
  resident(id: $id) {
    id name idNumber areaCode
    household { id address head { id } members { id } }
    benefits { type status }
    gridCell { id code level worker { id name } }
    careLevel
    petitions { id trackingNumber status gridCell { id level } }
  }
}`;

const THREE = ['civil-affairs', 'grid', 'petitions'];

/** Every string in a JSON value: what the check for leaks looks for. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** A trace as a readable excerpt (TRACE_DOC=1 prints it for docs/operations.md): start, duration, service, span by depth. */
function excerpt(spans: ReceivedSpan[]): string {
  const start = spans.reduce((min, span) => (span.startNs < min ? span.startNs : min), spans[0]!.startNs);
  const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(1).padStart(6);
  const byParent = new Map<string, ReceivedSpan[]>();
  for (const span of spans) byParent.set(span.parentSpanId, [...(byParent.get(span.parentSpanId) ?? []), span]);
  const ids = new Set(spans.map((span) => span.spanId));
  const lines = ['   start      ms  service                 span'];
  const walk = (span: ReceivedSpan, depth: number) => {
    const name = `${'  '.repeat(depth)}${span.name}`;
    const what = ['graphql.operation.name', 'govgraph.subgraph', 'govgraph.outcome', 'http.response.status_code']
      .map((key) => span.attributes[key])
      .filter((value) => value !== undefined)
      .join(' ');
    lines.push(`${ms(span.startNs - start)}  ${ms(span.endNs - span.startNs)}  ${span.service.padEnd(22)}  ${name.padEnd(30)}  ${what}`);
    const children = (byParent.get(span.spanId) ?? []).sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
    for (const child of children) walk(child, depth + 1);
  };
  for (const root of spans.filter((span) => !ids.has(span.parentSpanId))) walk(root, 0);
  return lines.join('\n');
}

describe('traces across the gateway and the subgraphs', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // As an operator turns tracing on; spans sent every 20 ms so that the test waits little.
    stack = await startStack({
      residents: 300,
      seed: 11,
      purpose: 'supervision',
      grants: grantsWithSupervision(),
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '20' },
    });
    // Once before the tests, so that the traces below are of an operation already planned, as most requests' are.
    await stack.query(PETITIONER, { id: petitioner().id });
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  const petitioner = () => {
    const petition = stack.county.petitions[0]!;
    return stack.county.residents.find((r) => r.id === petition.petitionerId)!;
  };

  /** The gateway's server span of a request, by the gateway's request id. */
  const serverSpanOf = (requestId: string | undefined) =>
    receiver.spans.find(
      (span) =>
        span.service === 'govgraph-gateway' && span.kind === SPAN_KIND.server && span.attributes['govgraph.request_id'] === requestId,
    );

  /** A request's whole trace, once the gateway's spans and the server span of every subgraph it called have all arrived. */
  const traceOf = (requestId: string | undefined) =>
    waitFor(
      () => {
        const root = serverSpanOf(requestId);
        if (!root) return undefined;
        const spans = receiver.spans.filter((span) => span.traceId === root.traceId);
        const calls = spans.filter((span) => span.kind === SPAN_KIND.client);
        const answered = calls.every((call) => spans.some((span) => span.parentSpanId === call.spanId));
        return calls.length > 0 && answered ? { root, spans, calls } : undefined;
      },
      { what: `the trace of request ${requestId}` },
    );

  it('follows a cross-department request from the gateway through its calls into three subgraphs, in one trace', async () => {
    const resident = petitioner();
    const result = await stack.query(PETITIONER, { id: resident.id });
    expect(result.errors).toBeUndefined();
    const { root, spans, calls } = await traceOf(result.requestId);
    if (process.env.TRACE_DOC === '1') process.stdout.write(`\n${excerpt(spans)}\n\n`);

    // The gateway's server span: the trace's root, with the request's ids and codes.
    expect(root).toMatchObject({ name: 'POST /graphql', parentSpanId: '', statusCode: 0 });
    expect(root.attributes).toEqual({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.response.status_code': 200,
      'graphql.operation.name': 'Petitioner',
      'graphql.operation.type': 'query',
      'govgraph.request_id': result.requestId,
      'govgraph.caller.department': 'civil-affairs',
      'govgraph.outcome': 'ok',
      'govgraph.document_hash': expect.any(String),
    });
    expect(spans.find((span) => span.name === 'govern')).toMatchObject({
      service: 'govgraph-gateway',
      parentSpanId: root.spanId,
      kind: SPAN_KIND.internal,
      attributes: { 'govgraph.outcome': 'ok', 'govgraph.cost': expect.any(Number) },
    });

    // Its client spans, one per subgraph call, each answered by that subgraph's server span as its child.
    expect(new Set(calls.map((call) => call.attributes['govgraph.subgraph']))).toEqual(new Set(THREE));
    for (const call of calls) {
      const subgraph = String(call.attributes['govgraph.subgraph']);
      expect(call).toMatchObject({ service: 'govgraph-gateway', parentSpanId: root.spanId, name: `subgraph ${subgraph}` });
      expect(call.attributes).toMatchObject({ 'govgraph.outcome': 'ok', 'http.response.status_code': 200 });
      const served = spans.filter((span) => span.parentSpanId === call.spanId);
      expect(served).toEqual([
        expect.objectContaining({
          service: `govgraph-${subgraph}`,
          kind: SPAN_KIND.server,
          name: 'POST /graphql',
          attributes: expect.objectContaining({
            'govgraph.department': subgraph,
            'govgraph.outcome': 'ok',
            'http.response.status_code': 200,
            // Apollo's name for the gateway's fetch: the client's operation, the subgraph, the step.
            'graphql.operation.name': expect.stringMatching(/^Petitioner__/),
          }),
        }),
      ]);
    }
    for (const span of spans) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.endNs).toBeGreaterThanOrEqual(span.startNs);
    }
    // What each subgraph was sent carries the client span's id, outside what the gateway signs.
    for (const subgraph of THREE) {
      const sent = stack.received[subgraph]!.filter((request) => request.headers['x-request-id'] === result.requestId);
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) {
        const [, traceId, parentId] = String(request.headers.traceparent).split('-');
        expect(traceId).toBe(root.traceId);
        expect(calls.map((call) => call.spanId)).toContain(parentId);
      }
    }

    // Nothing of the answer or the variables anywhere in what was exported: no id, name or ID number.
    const values = [...stringsIn(result.data), resident.id, resident.name, resident.idNumber];
    expect(values.length).toBeGreaterThan(10);
    const exported = receiver.bodies.join('\n');
    for (const value of values) expect(exported).not.toContain(value);
  });

  it('continues the trace a client sends in traceparent, and answers exactly as without it', async () => {
    const resident = petitioner();
    const plain = await stack.query(PETITIONER, { id: resident.id });
    const traceId = randomBytes(16).toString('hex');
    const clientSpan = randomBytes(8).toString('hex');
    const traced = await stack.query(PETITIONER, { id: resident.id }, { headers: { traceparent: `00-${traceId}-${clientSpan}-01` } });
    expect(traced.data).toEqual(plain.data);
    const { root, spans } = await traceOf(traced.requestId);
    expect(root.traceId).toBe(traceId);
    expect(root.parentSpanId).toBe(clientSpan);
    expect(new Set(spans.filter((span) => span.kind === SPAN_KIND.server).map((span) => span.service))).toEqual(
      new Set(['govgraph-gateway', ...THREE.map((name) => `govgraph-${name}`)]),
    );
  });

  it('records nothing of a request whose client trace is not sampled (parent-based sampling), and answers it alike', async () => {
    const resident = petitioner();
    const unsampled = randomBytes(16).toString('hex');
    const quiet = await stack.query(
      PETITIONER,
      { id: resident.id },
      { headers: { traceparent: `00-${unsampled}-${randomBytes(8).toString('hex')}-00` } },
    );
    expect(quiet.errors).toBeUndefined();
    // A later request's trace arriving whole shows that the earlier one's spans would have by now.
    const later = await stack.query(PETITIONER, { id: resident.id });
    await traceOf(later.requestId);
    expect(serverSpanOf(quiet.requestId)).toBeUndefined();
    expect(receiver.spans.filter((span) => span.traceId === unsampled)).toEqual([]);
    // The subgraphs were still told the trace, unsampled, as W3C Trace Context asks.
    const sent = stack.received['civil-affairs']!.find((request) => request.headers['x-request-id'] === quiet.requestId);
    expect(String(sent?.headers.traceparent)).toMatch(new RegExp(`^00-${unsampled}-[0-9a-f]{16}-00$`));
  });

  it('lets a subgraph continue a traceparent without it being signed, and trusts it for nothing else', async () => {
    const grid = stack.subgraphs.grid!;
    const query = '{ gridCells(first: 1) { totalCount } }';
    const body = JSON.stringify({ query });
    const { sub, department, roles, areas } = COUNTY_OFFICER;
    const context = encodeContext({ sub, department, roles, areas, purpose: 'service', requestId: 'tracing-test' });
    const traceId = randomBytes(16).toString('hex');
    const parent = randomBytes(8).toString('hex');
    const post = (headers: Record<string, string>) =>
      fetch(grid.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${parent}-01`, ...headers },
        body,
      });
    // Signed without the traceparent, sent with it: accepted.
    const signed = await post({ ...signRequest(stack.signingKey, 'grid', context, body) });
    expect(signed.status).toBe(200);
    // Unsigned with the same traceparent: refused all the same.
    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    const served = await waitFor(
      () => {
        const found = receiver.spans.filter((span) => span.traceId === traceId);
        return found.length === 2 ? found : undefined;
      },
      { what: 'both calls’ spans' },
    );
    expect(served.map((span) => [span.service, span.parentSpanId, span.attributes['govgraph.outcome']]).sort()).toEqual([
      ['govgraph-grid', parent, 'ok'],
      ['govgraph-grid', parent, 'refused'],
    ]);
    expect(served.find((span) => span.attributes['govgraph.outcome'] === 'refused')?.attributes).toMatchObject({
      'http.response.status_code': 401,
      'govgraph.code': 'UNAUTHENTICATED',
    });
  });
});

describe('tracing off (the default)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 50, seed: 12 });
  });
  afterAll(() => stack?.stop());

  it('is off unless an OTLP endpoint is set, and then creates nothing', () => {
    expect(loadGatewayConfig({ DATA_DIR: stack.dataDir }).tracing).toBeUndefined();
    for (const name of Object.keys(stack.subgraphs))
      expect(loadDepartmentConfig(name, { DATA_DIR: stack.dataDir }).tracing).toBeUndefined();
    expect(startTracing(undefined, createLogger('test', 'silent'))).toBeUndefined();
    // OTEL_SDK_DISABLED wins over an endpoint.
    expect(loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeUndefined();
  });

  it('passes no trace on to the subgraphs, not even a client’s traceparent', async () => {
    const traceId = randomBytes(16).toString('hex');
    const result = await stack.query('query People { residents(first: 2) { nodes { id gridCell { id } } } }', undefined, {
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    expect(result.status).toBe(200);
    const sent = Object.values(stack.received)
      .flat()
      .filter((request) => request.headers['x-request-id'] === result.requestId);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const request of sent) {
      expect(request.headers.traceparent).toBeUndefined();
      expect(request.headers.tracestate).toBeUndefined();
    }
  });
});
