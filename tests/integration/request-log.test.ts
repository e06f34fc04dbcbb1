import { Writable } from 'node:stream';
import { createLogger } from '../../common/logger';
import { waitFor } from '../helpers/wait-for';
import { startStack, type Stack } from './stack';

/**
 * One log line per request to /graphql, whatever its end: id, caller,
 * operation, outcome, status, duration; never a value, a variable or a token.
 */
describe('the request log', () => {
  let stack: Stack;
  const lines: Record<string, unknown>[] = [];
  const text: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text.push(chunk.toString());
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    stack = await startStack({ residents: 100, seed: 111, gatewayLogger: createLogger('gateway', 'info', sink) });
  });
  afterAll(() => stack.stop());

  const requestLines = () => lines.filter((line) => line.msg === 'request');

  it('writes one line for an answer and one for a refusal, with ids and codes only', async () => {
    const answered = await stack.query('query People($n: Int) { residents(first: $n) { nodes { name idNumber } } }', { n: 2 });
    const refused = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ residents { totalCount } }' }),
    });
    const refusedId = refused.headers.get('x-request-id');
    await waitFor(() => requestLines().some((line) => line.requestId === refusedId) || undefined, { what: 'the refusal’s line' });
    const mine = requestLines().filter((line) => line.requestId === answered.requestId || line.requestId === refusedId);
    expect(mine).toEqual([
      expect.objectContaining({
        requestId: answered.requestId,
        caller: 'civil-affairs/test-officer',
        operation: 'People',
        outcome: 'ok',
        status: 200,
        durationMs: expect.any(Number),
      }),
      expect.objectContaining({ requestId: refusedId, caller: null, outcome: 'refused', status: 401, code: 'UNAUTHENTICATED' }),
    ]);
    // Nothing the caller sent or received: no name, no ID number, no variable.
    const names = (answered.data as { residents: { nodes: { name: string; idNumber: string }[] } }).residents.nodes;
    for (const { name, idNumber } of names) {
      expect(text.join('')).not.toContain(name);
      expect(text.join('')).not.toContain(idNumber);
    }
  });
});
