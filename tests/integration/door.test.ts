import Database from 'better-sqlite3';
import { connect } from 'node:net';
import path from 'node:path';
import { AUDIT_ROW_COLUMNS, AUDIT_ROWS, fromRow } from '../../gateway/audit/audit-rows';
import type { AuditRecord } from '../../gateway/audit/audit-record';
import { waitFor } from '../helpers/wait-for';
import { startStack, type Stack } from './stack';

interface RawAnswer {
  status: number;
  head: string;
  /** Whether the gateway closed the connection after answering. */
  closed: boolean;
}

/**
 * The gateway's door, tried as a flood, a slow client and a careless client
 * would: limits per caller and per address checked before the body is read,
 * read timeouts, every request recorded (a flood as counted summaries), and
 * labels the client chose kept bounded and apart from the gateway's own id.
 * The gateway trusts 127.0.0.1 as a proxy, so each test picks the client
 * address it is counted under with X-Forwarded-For; 127.0.0.2 is not trusted.
 */
describe('the door', () => {
  let stack: Stack;
  let db: Database.Database;
  const rows = (where: string, ...params: unknown[]): AuditRecord[] =>
    (
      db.prepare(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} WHERE ${where} ORDER BY e.seq`).all(...params) as Record<string, unknown>[]
    ).map(fromRow);
  const recordsFrom = (address: string, count = 1) =>
    waitFor(() => (rows('e.address = ?', address).length >= count ? rows('e.address = ?', address) : undefined), {
      what: `${count} records from ${address}`,
      timeoutMs: 20_000,
    });

  /** Sends `text` as it is over a new connection (from `localAddress`), and reads until the gateway answers and closes or `waitMs` pass. */
  const raw = (text: string, { localAddress = '127.0.0.1', waitMs = 8_000 } = {}) =>
    new Promise<RawAnswer>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: stack.gateway.port, localAddress });
      let received = '';
      const done = (closed: boolean) => {
        clearTimeout(timer);
        socket.destroy();
        const head = received.split('\r\n\r\n')[0] ?? '';
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, closed });
      };
      const timer = setTimeout(() => done(false), waitMs);
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('end', () => done(true));
      socket.on('error', reject);
      socket.write(text);
    });
  const post = (headers: Record<string, string>, body = JSON.stringify({ query: '{ residents(first: 1) { totalCount } }' })) =>
    fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-purpose': 'service', ...headers }, body });
  const bearer = async (sub = 'door-officer') => `Bearer ${await stack.token({ sub })}`;

  beforeAll(async () => {
    stack = await startStack({
      residents: 100,
      seed: 91,
      rateLimits: { perCaller: 5, perAddress: 20, callerConcurrency: 4, callerCostInFlight: 5_000 },
      readTimeouts: { headersMs: 1_000, bodyMs: 1_000 },
      trustedProxies: ['127.0.0.1'],
      subgraphTimeoutMs: 1_000,
    });
    db = new Database(path.join(stack.dataDir, 'gateway.sqlite'), { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await stack.stop();
  });

  it('checks the token before reading the body: 401 at once, the connection closed, the body never waited for', async () => {
    const answer = await raw(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Forwarded-For: 10.0.1.1\r\nContent-Length: 1000000\r\n\r\n',
    );
    // Waiting for the body would have ended in 408 after the body timeout instead.
    expect(answer).toMatchObject({ status: 401, closed: true });
    const [record] = await recordsFrom('10.0.1.1');
    expect(record).toMatchObject({ sub: null, outcome: 'refused', status: 401 });
  });

  it('answers 408 to an authenticated body that stalls, and records it with its caller', async () => {
    const answer = await raw(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: ${await bearer('door-staller')}\r\nX-Purpose: service\r\n` +
        'Content-Type: application/json\r\nX-Forwarded-For: 10.0.1.2\r\nContent-Length: 1000\r\n\r\n{"query":',
    );
    expect(answer).toMatchObject({ status: 408, closed: true });
    const [record] = await recordsFrom('10.0.1.2');
    expect(record).toMatchObject({ sub: 'door-staller', outcome: 'refused', status: 408 });
  });

  it('answers 408 to headers that stall and 431 to headers too large, and records both under the peer address', async () => {
    expect(await raw('POST /graphql HTTP/1.1\r\nHost: x\r\n', { localAddress: '127.0.0.3' })).toMatchObject({ status: 408, closed: true });
    expect(
      await raw(`GET /graphql HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`, { localAddress: '127.0.0.3' }),
    ).toMatchObject({ status: 431, closed: true });
    const records = await recordsFrom('127.0.0.3', 2);
    expect(records.map((r) => [r.outcome, r.status, r.sub])).toEqual([
      ['refused', 408, null],
      ['refused', 431, null],
    ]);
  });

  it('refuses a caller over its rate with 429 RATE_LIMITED and Retry-After, and leaves other callers alone', async () => {
    const authorization = await bearer('door-eager');
    // Each from its own address, so only the caller's limit (5 a second, 10 at once) is in play.
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post({ authorization, 'x-forwarded-for': `10.0.2.${i}` })));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited[0]!.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Too many requests from this caller; retry after \d+ s$/),
          extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
        },
      ],
    });
    expect((await post({ authorization: await bearer('door-patient'), 'x-forwarded-for': '10.0.2.99' })).status).toBe(200);
  });

  it('holds a caller to its requests in flight', async () => {
    stack.breakProxy('civil-affairs', { hang: true });
    try {
      const authorization = await bearer('door-holder');
      const before = stack.received['civil-affairs']!.length;
      const hanging = Array.from({ length: 4 }, (_, i) => post({ authorization, 'x-forwarded-for': `10.0.3.${i}` }));
      await waitFor(() => stack.received['civil-affairs']!.length >= before + 4 || undefined, {
        what: 'four calls held by the hung subgraph',
      });
      // Its rate allows a fifth (5 a second, 10 at once); four requests in flight do not.
      const refused = await post({ authorization, 'x-forwarded-for': '10.0.3.9' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      stack.breakProxy('civil-affairs', undefined);
      await Promise.all(hanging);
    } finally {
      stack.breakProxy('civil-affairs', undefined);
    }
  });

  it('holds a caller to the estimated cost of its operations in flight', async () => {
    const heavy = JSON.stringify({ query: '{ gridCells(first: 10) { nodes { residents(first: 300) { id } } } }' });
    stack.breakProxy('grid', { hang: true });
    try {
      const authorization = await bearer('door-heavy');
      const before = stack.received.grid!.length;
      const first = post({ authorization, 'x-forwarded-for': '10.0.5.1' }, heavy);
      await waitFor(() => stack.received.grid!.length > before || undefined, { what: 'the first heavy operation at the grid' });
      // About 3,000 in flight: a second as heavy would pass 5,000; a light one fits beside it.
      const second = await post({ authorization, 'x-forwarded-for': '10.0.5.2' }, heavy);
      expect(second.status).toBe(429);
      expect(((await second.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
      expect((await post({ authorization, 'x-forwarded-for': '10.0.5.3' })).status).toBe(200);
      stack.breakProxy('grid', undefined);
      await first;
      // Once it is over, its cost is given back.
      expect((await post({ authorization, 'x-forwarded-for': '10.0.5.4' }, heavy)).status).toBe(200);
    } finally {
      stack.breakProxy('grid', undefined);
    }
  });

  it('refuses an address over its rate before reading its token, and records a flood as counted summaries', async () => {
    const authorization = await bearer('door-neighbour');
    // 120 requests without a token, then 10 with a valid one, all at once from one address.
    const flood = await Promise.all([
      ...Array.from({ length: 120 }, () => post({ 'x-forwarded-for': '10.0.4.4' })),
      ...Array.from({ length: 10 }, () => post({ authorization, 'x-forwarded-for': '10.0.4.4' })),
    ]);
    const statuses = new Map<number, number>();
    for (const { status } of flood) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    // 20 a second with a burst of 40: most of the flood never gets as far as its (missing) token...
    expect(statuses.get(429)).toBeGreaterThanOrEqual(60);
    expect(statuses.get(401)).toBeGreaterThan(0);
    // ... and neither do the valid tokens sent behind it: the address is refused before any token is read.
    expect(flood.slice(120).filter((answer) => answer.status === 429).length).toBeGreaterThan(0);
    // Summaries are written when their minute ends, or at shutdown: stop the gateway and read the whole trail.
    await stack.gateway.stop();
    const records = rows('e.address = ?', '10.0.4.4');
    const counted = new Map<number, number>();
    for (const record of records) counted.set(record.status, (counted.get(record.status) ?? 0) + (record.requestCount ?? 1));
    // Every request is counted, under the status it got.
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(statuses));
    // Ten without a caller one by one, then at most one summary per ending; those with a caller one each.
    expect(records.filter((record) => record.sub === null).length).toBeLessThanOrEqual(12);
    expect(records.filter((record) => record.requestCount !== null).every((record) => record.sub === null)).toBe(true);
  });
});

describe('every request to /graphql leaves a record, with labels the client cannot inflate', () => {
  let stack: Stack;
  let db: Database.Database;
  const rows = (where: string, ...params: unknown[]): AuditRecord[] =>
    (
      db.prepare(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} WHERE ${where} ORDER BY e.seq`).all(...params) as Record<string, unknown>[]
    ).map(fromRow);
  const recorded = (clientRequestId: string, count = 1) =>
    waitFor(
      () => {
        const found = rows('e.client_request_id = ?', clientRequestId);
        return found.length >= count ? found : undefined;
      },
      { what: `${count} records of ${clientRequestId}`, timeoutMs: 20_000 },
    );

  beforeAll(async () => {
    stack = await startStack({ residents: 100, seed: 93 });
    db = new Database(path.join(stack.dataDir, 'gateway.sqlite'), { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await stack.stop();
  });

  it('records a browser-style plain-text POST refused at the door, with its caller', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=json',
        authorization: `Bearer ${await stack.token()}`,
        'x-purpose': 'service',
        'x-request-id': 'plain-text',
      },
      body: JSON.stringify({ query: '{ residents(first: 1) { nodes { name } } }' }),
    });
    expect(response.status).toBe(400);
    const [record] = await recorded('plain-text');
    expect(record).toMatchObject({ sub: 'test-officer', outcome: 'refused', status: 400 });
    expect(stack.sentFor('plain-text')).toEqual([]);
  });

  it('refuses an Accept header without JSON before anything runs, and records it', async () => {
    const result = await stack.query('{ residents(first: 1) { nodes { name } } }', undefined, {
      headers: { accept: 'text/html', 'x-request-id': 'html-only' },
    });
    expect(result.status).toBe(406);
    const [record] = await recorded('html-only');
    expect(record).toMatchObject({ sub: 'test-officer', outcome: 'refused', status: 406 });
    expect(stack.received['civil-affairs']!.filter((request) => request.headers['x-request-id'] === result.requestId)).toEqual([]);
  });

  it('records the IDE page, a GET without a query', async () => {
    const page = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html', 'x-request-id': 'ide-page' } });
    expect(page.status).toBe(200);
    const [record] = await recorded('ide-page');
    expect(record).toMatchObject({ sub: null, outcome: 'ok', status: 200, address: '127.0.0.1' });
  });

  it('gives every request its own id, keeps the client’s apart, and sends the gateway’s back', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(() => stack.query('{ residents(first: 1) { totalCount } }', undefined, { headers: { 'x-request-id': 'same' } })),
    );
    const records = await recorded('same', 3);
    expect(new Set(records.map((r) => r.requestId)).size).toBe(3);
    expect(records.map((r) => r.requestId).sort()).toEqual(answers.map((answer) => answer.requestId).sort());
    for (const record of records) expect(record.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('cuts an outsized operation name with a marker, and keeps no ID number used as a name or a request id', async () => {
    const idNumber = stack.county.residents[0]!.idNumber;
    const long = `Q${'x'.repeat(99_000)}`;
    await stack.query(`query ${long} { residents(first: 1) { totalCount } }`, undefined, { headers: { 'x-request-id': 'long-name' } });
    const [cut] = await recorded('long-name');
    expect(cut!.operationName).toBe(`Q${'x'.repeat(99)}…`);
    await stack.query(`query Q${idNumber} { residents(first: 1) { totalCount } }`, undefined, {
      headers: { 'x-request-id': `id-${idNumber}`, 'apollographql-client-name': `app-${idNumber}` },
    });
    const [scrubbed] = await recorded('id-###');
    expect(scrubbed).toMatchObject({ operationName: 'Q###', clientName: 'app-###' });
    const trail = JSON.stringify(rows('1 = 1'));
    expect(trail).not.toContain(idNumber);
    expect(trail).not.toContain('x'.repeat(200));
  });

  it('answers 400 to a request target that is no URL, and keeps serving', async () => {
    for (const target of ['http://[', 'http://a:99999/', 'http://%zz/']) {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: stack.gateway.port });
        socket.on('data', (chunk) => {
          resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1]));
          socket.destroy();
        });
        socket.on('error', reject);
        socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      });
      expect([target, status]).toEqual([target, 400]);
    }
    expect((await stack.query('{ residents(first: 1) { totalCount } }')).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer it does not trust', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: stack.gateway.port, localAddress: '127.0.0.2' });
      socket.on('data', (chunk) => {
        resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1]));
        socket.destroy();
      });
      socket.on('error', reject);
      socket.write('GET /graphql HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nX-Forwarded-For: 10.9.9.9\r\nX-Request-Id: spoofed\r\n\r\n');
    });
    expect(answer).toBe(200);
    const [record] = await recorded('spoofed');
    expect(record!.address).toBe('127.0.0.2');
  });
});
