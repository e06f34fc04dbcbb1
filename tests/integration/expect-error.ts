import type { GraphQLResult } from './stack';

/** A refused operation: one error with this code, a message that says why, no data, and nothing internal. */
export function expectRefused(result: GraphQLResult<unknown>, code: string, message: RegExp): void {
  expect(result.errors).toEqual([
    expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code }) }),
  ]);
  expect(result.data ?? null).toBeNull();
  expectNothingInternal(result);
}

/** No SQL, stack trace, file path or service URL in what the client receives. */
export function expectNothingInternal(result: GraphQLResult<unknown>): void {
  const text = JSON.stringify(result.errors ?? []);
  expect(text).not.toMatch(/SELECT |INSERT |UPDATE |SQLITE|QueryFailed|stacktrace|\.ts:\d+|node_modules|127\.0\.0\.1|localhost/i);
}
