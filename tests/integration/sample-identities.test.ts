import { request } from 'node:http';
import { isLoopback, localHost } from '../../gateway/identity/sample-identities';
import { startStack, type Stack } from './stack';

interface Sample {
  key: string;
  department: string;
  roles: string[];
  purpose: string;
  token: string;
}

/**
 * The sandbox's sample identities, which the IDE and the console offer in a
 * picker: each with a token the gateway accepts, offered to this machine only
 * (the route answers 403 to any peer that is not a loopback address).
 */
describe('the sandbox’s sample identities', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 100, seed: 109 });
  });
  afterAll(() => stack.stop());

  it('refuses a page that rebinds its own name to this machine, and a forwarded request', async () => {
    const url = new URL('/sandbox/identities', stack.gatewayUrl);
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        request({ host: url.hostname, port: url.port, path: url.pathname, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await status({ host: `evil.example:${url.port}` })).toBe(403);
    expect(await status({ host: `127.0.0.1:${url.port}`, 'x-forwarded-for': '198.51.100.7' })).toBe(403);
    expect(await status({ host: `localhost:${url.port}` })).toBe(200);
  });

  it('offers one of each kind of user, stewards of every department included, each token accepted', async () => {
    const { identities } = (await (await fetch(new URL('/sandbox/identities', stack.gatewayUrl))).json()) as { identities: Sample[] };
    const stewards = identities.filter((identity) => identity.roles.includes('steward')).map((identity) => identity.department);
    expect(stewards).toEqual(expect.arrayContaining(['grid', 'civil-affairs', 'petitions', 'social-security', 'data-office']));
    for (const identity of identities) {
      const answer = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${identity.token}`, 'x-purpose': identity.purpose, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect([identity.key, answer.status]).toEqual([identity.key, 200]);
    }
    expect(await (await fetch(new URL('/auth/config', stack.gatewayUrl))).json()).toEqual({
      issuer: 'govgraph-sandbox',
      audience: 'govgraph',
      sandbox: true,
    });
  });
});

describe('who is this machine', () => {
  it('names this machine as Host only as localhost, 127.0.0.1 or [::1], with any port', () => {
    for (const host of ['localhost', 'localhost:4000', '127.0.0.1:4000', '[::1]:4000'])
      expect([host, localHost(host)]).toEqual([host, true]);
    for (const host of ['evil.example:4000', 'localhost.evil.example', '127.0.0.1.nip.io', '192.0.2.2:4000', undefined]) {
      expect([host, localHost(host)]).toEqual([host, false]);
    }
  });

  it('counts 127.0.0.0/8 and ::1, however written, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])
      expect([address, isLoopback(address)]).toEqual([address, true]);
    for (const address of ['192.0.2.2', '::ffff:192.0.2.2', 'fd00::2', '128.0.0.1', '127.0.0.1.example', undefined]) {
      expect([address, isLoopback(address)]).toEqual([address, false]);
    }
  });
});
