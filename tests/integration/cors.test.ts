import { startStack, type Stack } from './stack';

const ALLOWED = 'https://app.county.example.gov.cn';

/**
 * Browser apps on another origin call the API only from origins the
 * operator lists (CORS_ORIGINS; none by default). A preflight carries no
 * token, so it is answered before any is asked for; an origin not listed
 * gets no CORS header at all, so the browser sends nothing.
 */
describe('CORS', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 100, seed: 107, corsOrigins: [ALLOWED] });
  });
  afterAll(() => stack.stop());

  const preflight = (origin: string) =>
    fetch(stack.gatewayUrl, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-purpose',
      },
    });

  it('answers an allowed origin’s preflight without a token, naming the methods and headers it may send', async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-purpose');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses another origin’s preflight with no CORS header', async () => {
    const response = await preflight('https://evil.example.com');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('marks an allowed origin’s answers, errors included, and exposes the request id', async () => {
    const answered = await stack.query('{ residents(first: 1) { totalCount } }', undefined, { headers: { origin: ALLOWED } });
    expect(answered.status).toBe(200);
    const refused = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ residents { totalCount } }' }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(refused.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const foreign = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { origin: 'https://evil.example.com', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ residents { totalCount } }' }),
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin unless configured', async () => {
    const plain = await startStack({ residents: 100, seed: 108 });
    try {
      const response = await fetch(plain.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});
