import { expectNothingInternal, expectRefused } from './expect-error';
import { PETITIONS_OFFICER, startStack, type Stack } from './stack';

describe('bad requests get a clear error with a stable code', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 300, seed: 2 });
  });
  afterAll(() => stack.stop());

  it.each([
    ['a page larger than 100', '{ residents(first: 101) { totalCount } }', /first must be between 0 and 100/],
    [
      'a cursor this list never returned',
      '{ residents(after: "not-a-cursor") { totalCount } }',
      /after is not a cursor returned by this list/,
    ],
    [
      'an area prefix that is not digits',
      '{ petitions(filter: { areaCode: "61x" }) { totalCount } }',
      /areaCode must be an area-code prefix of 2 to 12 digits/,
    ],
    [
      'an aggregate over a malformed area',
      '{ benefitSummary(areaCode: "county") { activeCount } }',
      /areaCode must be an area-code prefix/,
    ],
  ])('refuses %s with BAD_USER_INPUT', async (_case, query, message) => {
    expectRefused(await stack.query(query), 'BAD_USER_INPUT', message);
  });

  it('reports a field that does not exist as BAD_USER_INPUT, naming it', async () => {
    const result = await stack.query('{ residents { nodes { salary } } }');
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('"salary"'), extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    expectNothingInternal(result);
  });

  it('refuses a body that is not JSON with 400, once the caller is known', async () => {
    const headers = { 'content-type': 'application/json', 'x-purpose': 'service' };
    // The token is checked before the body is read: without one, the body is never looked at.
    expect((await fetch(stack.gatewayUrl, { method: 'POST', headers, body: '{"query": ' })).status).toBe(401);
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${await stack.token()}` },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it.each([
    ['a variable', 'query ($id: ID!) { petition(id: $id) { id } }', { id: 'abc\u0000' }],
    ['a literal', '{ petitions(filter: { areaCode: "61\\u0000" }) { totalCount } }', undefined],
    [
      'a nested input',
      'mutation ($input: SubmitPetitionInput!) { submitPetition(input: $input) { id } }',
      {
        input: { petitionerId: 'x', channel: 'VISIT', category: 'OTHER', subject: 'a\u0007b', content: 'c', areaCode: '610921100001' },
      },
    ],
  ])('refuses a control character in %s with BAD_USER_INPUT', async (_case, query, variables) => {
    const result = await stack.query(query, variables, { as: PETITIONS_OFFICER });
    expect(result.status).toBe(400);
    expectRefused(result, 'BAD_USER_INPUT', /Text must not contain control characters/);
  });

  it('does not echo an ID number written as a number literal', async () => {
    const result = await stack.query('{ residents(filter: { name: 610921198803143023 }) { totalCount } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result)).not.toContain('610921198803143023');
  });

  it('does not echo a rejected variable value', async () => {
    const result = await stack.query('mutation ($d: Date!) { endBenefit(id: "x", endDate: $d) { id } }', { d: '13/45/2026' });
    expect(result.errors?.[0]?.message).toMatch(/Date must be a calendar date/);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result)).not.toContain('13/45/2026');
  });
});

describe('operations the gateway will not plan', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 100, seed: 47 });
  });
  afterAll(() => stack.stop());

  it.each([
    [
      'two operations and no operationName',
      { query: 'query A { residents { totalCount } } query B { petitions { totalCount } }' },
      /several operations/,
    ],
    [
      'an operationName that names none of them',
      { query: 'query A { residents { totalCount } }', operationName: 'Z' },
      /no operation named Z/,
    ],
    [
      'an empty operationName with two operations',
      { query: 'query A { residents { totalCount } } query B { petitions { totalCount } }', operationName: '' },
      /several operations/,
    ],
    ['a subscription', { query: 'subscription { residents { totalCount } }' }, /Subscriptions are not served/],
    [
      'a named subscription beside a query',
      { query: 'query A { __typename } subscription S { x }', operationName: 'S' },
      /Subscriptions are not served/,
    ],
  ])('refuses %s with 400 BAD_USER_INPUT, not a 500', async (_case, body, message) => {
    const result = await stack.post(body);
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('refuses an alias reserved for the gateway', async () => {
    const result = await stack.query('{ residents(first: 1) { nodes { __govgraph_placeholder: name } } }');
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toMatch(/reserved/);
  });

  it.each([
    ['nested too deeply', `{ gridCells(first: 1) { nodes { ${'parent { '.repeat(40)}id${' }'.repeat(40)} } } }`],
    [
      'nested too deeply through fragments',
      `{ gridCells(first: 1) { nodes { ...A } } } ${Array.from({ length: 20 }, (_, i) => `fragment ${String.fromCharCode(65 + i)} on GridCell { parent { ${i < 19 ? `...${String.fromCharCode(66 + i)}` : 'id'} } }`).join(' ')}`,
    ],
    ['deeper than the stack', `{ gridCells(first: 1) { nodes { ${'parent { '.repeat(3000)}id${' }'.repeat(3000)} } } }`],
    ['with too many tokens', `{ residents(first: 1) { nodes { ${'id '.repeat(20_000)} } } }`],
  ])('refuses an operation %s with QUERY_TOO_COMPLEX', async (_case, query) => {
    const result = await stack.query(query);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });
});
