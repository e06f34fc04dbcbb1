import { BadUserInputError } from '../../../../common/errors';
import { checkPageSize, decodeCursor, encodeCursor } from '../../../../subgraphs/kit/connection';

describe('connection cursors and page sizes', () => {
  it('round-trips the sort key through an opaque cursor', () => {
    const cursor = encodeCursor(['2026-11-01T00:00:00.000Z', 'abc']);
    expect(cursor).not.toContain('abc');
    expect(decodeCursor(cursor, 2)).toEqual(['2026-11-01T00:00:00.000Z', 'abc']);
  });

  it.each([
    '',
    'not base64 json',
    encodeCursor(['only one']),
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[5, 6]').toString('base64url'),
  ])('refuses the cursor %j', (cursor) => {
    expect(() => decodeCursor(cursor, 2)).toThrow(BadUserInputError);
  });

  it.each([[-1], [101], [1.5]])('refuses first = %p', (first) => {
    expect(() => checkPageSize(first)).toThrow('first must be between 0 and 100');
  });

  it.each([[0], [20], [100]])('accepts first = %p', (first) => {
    expect(() => checkPageSize(first)).not.toThrow();
  });
});
