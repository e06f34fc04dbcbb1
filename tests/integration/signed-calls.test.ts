import { createHmac, randomBytes } from 'node:crypto';
import {
  CONTEXT_HEADER,
  encodeContext,
  KEY_ID_HEADER,
  SIGNATURE_WINDOW_MS,
  signRequest,
  subgraphKey,
  type GovernanceContext,
} from '../../common/governance-context';
import { newSigningKey } from '../helpers/signing-key';
import { postGraphQL, startStack, type Stack } from './stack';

/** Subgraphs answer only the gateway: a request must carry its signature over this body, made moments ago. */
describe('calls straight to a subgraph', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 300, seed: 19 });
  });
  afterAll(() => stack.stop());

  const context: GovernanceContext = {
    sub: 'x',
    department: 'civil-affairs',
    roles: ['officer'],
    areas: ['610921'],
    purpose: 'service',
    requestId: 'r1',
  };
  const QUERY = '{ residents(first: 1) { nodes { id name idNumber } } }';
  const body = JSON.stringify({ query: QUERY });
  const url = () => stack.subgraphs['civil-affairs'].url;
  const refused = async (headers: Record<string, string>, sentBody = body) => {
    const result = await postGraphQL(url(), QUERY, undefined, headers, sentBody);
    expect(result.status).toBe(401);
    expect(result.errors).toEqual([
      { message: 'Subgraphs answer only requests signed by the gateway', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/\d{17}[\dX]/);
  };

  it('answers a request the gateway signed', async () => {
    const result = await postGraphQL(
      url(),
      QUERY,
      undefined,
      { ...signRequest(stack.signingKey, 'civil-affairs', encodeContext(context), body) },
      body,
    );
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ residents: { nodes: [expect.objectContaining({ id: expect.any(String) })] } });
  });

  it('refuses an unsigned query, even with a valid user token', async () => {
    await refused({ authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'service' });
  });

  it.each([
    ['_service', '{ _service { sdl } }'],
    ['_entities', '{ _entities(representations: [{ __typename: "Resident", id: "x" }]) { ... on Resident { name idNumber } } }'],
  ])('refuses a direct %s call', async (_name, query) => {
    const result = await postGraphQL(url(), query);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses hand-made identity headers without a valid signature', async () => {
    await refused({ [CONTEXT_HEADER]: encodeContext(context) });
    await refused({ [CONTEXT_HEADER]: encodeContext(context), 'x-govgraph-timestamp': String(Date.now()), 'x-govgraph-signature': 'AAAA' });
  });

  it('refuses a signature made with another key, under its own key id or under the gateway’s', async () => {
    const other = newSigningKey().signingKey;
    await refused({ ...signRequest(other, 'civil-affairs', encodeContext(context), body) });
    await refused({ ...signRequest({ ...other, keyId: stack.signingKey.keyId }, 'civil-affairs', encodeContext(context), body) });
  });

  it('refuses a request without a key id', async () => {
    const { [KEY_ID_HEADER]: _keyId, ...headers } = signRequest(stack.signingKey, 'civil-affairs', encodeContext(context), body);
    await refused(headers);
  });

  it('refuses a signature replayed outside the window, before or after', async () => {
    await refused({
      ...signRequest(stack.signingKey, 'civil-affairs', encodeContext(context), body, Date.now() - SIGNATURE_WINDOW_MS - 5_000),
    });
    await refused({
      ...signRequest(stack.signingKey, 'civil-affairs', encodeContext(context), body, Date.now() + SIGNATURE_WINDOW_MS + 5_000),
    });
  });

  it('accepts a signed request once: the same request replayed within the window is refused', async () => {
    const headers = { ...signRequest(stack.signingKey, 'civil-affairs', encodeContext(context), body) };
    expect((await postGraphQL(url(), QUERY, undefined, headers, body)).status).toBe(200);
    await refused(headers);
  });

  it('refuses a request signed for another subgraph', async () => {
    await refused({ ...signRequest(stack.signingKey, 'petitions', encodeContext(context), body) });
  });

  it('refuses a signed context moved onto another body', async () => {
    const headers = { ...signRequest(stack.signingKey, 'civil-affairs', encodeContext(context), body) };
    await refused(headers, JSON.stringify({ query: '{ residents(first: 100) { nodes { idNumber } } }' }));
  });

  /** A signature made by hand, as the wire format says: HMAC-SHA256, under the subgraph's own key, of `audience.nonce.timestamp.context.body`. */
  const handSigned = (nonce: string, encoded = encodeContext(context)) => {
    const timestamp = String(Date.now());
    const signature = createHmac('sha256', subgraphKey(stack.signingKey.master, 'civil-affairs'))
      .update(`civil-affairs.${nonce}.${timestamp}.${encoded}.${body}`, 'utf8')
      .digest();
    return {
      [CONTEXT_HEADER]: encoded,
      'x-govgraph-timestamp': timestamp,
      'x-govgraph-nonce': nonce,
      'x-govgraph-key-id': stack.signingKey.keyId,
      'x-govgraph-signature': signature.toString('base64url'),
    };
  };

  it('checks the signature over the signed head and then the body, as the wire format says', async () => {
    const result = await postGraphQL(url(), QUERY, undefined, handSigned(randomBytes(16).toString('hex')), body);
    expect(result.status).toBe(200);
  });

  it('refuses a nonce or context with a character outside base64url, so that the signed head splits one way only', async () => {
    await refused(handSigned(`${randomBytes(8).toString('hex')}.${randomBytes(8).toString('hex')}`));
    await refused(handSigned(randomBytes(16).toString('hex'), `${encodeContext(context)}.`));
  });

  it('refuses a signed context whose areas were widened', async () => {
    const narrow = encodeContext({ ...context, areas: ['610921101'] });
    const headers = {
      ...signRequest(stack.signingKey, 'civil-affairs', narrow, body),
      [CONTEXT_HEADER]: encodeContext({ ...context, areas: ['61'] }),
    };
    await refused(headers);
  });
});
