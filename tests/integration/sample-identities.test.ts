import { isLoopback } from '../../gateway/identity/sample-identities';
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
  it('counts 127.0.0.0/8 and ::1, however written, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])
      expect([address, isLoopback(address)]).toEqual([address, true]);
    for (const address of ['192.0.2.2', '::ffff:192.0.2.2', 'fd00::2', '128.0.0.1', '127.0.0.1.example', undefined]) {
      expect([address, isLoopback(address)]).toEqual([address, false]);
    }
  });
});
