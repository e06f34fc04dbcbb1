/**
 * What "answers the same way" means here: the same HTTP status, deep-equal
 * `data`, and the same errors by `extensions.code` and `path` (as a
 * multiset: messages and order may differ).
 *
 * govgraph promises clients a closed set of error codes (common/errors.ts,
 * README "Error codes"): any other code a subgraph or Apollo uses reaches its
 * clients as INTERNAL. The plain gateway's codes are read through that same
 * documented rule (formatPublicError) before comparing, so a subgraph's
 * private code is expected to be INTERNAL on both sides; public codes pass
 * unchanged on both.
 *
 * Top-level `extensions` are not compared: plain Apollo reports a value that
 * failed completion after the subgraphs answered (a non-null field of an
 * entity whose reference resolved to null) there, in `valueCompletion`, and
 * not in `errors`.
 */
import { isDeepStrictEqual } from 'node:util';
import { formatPublicError } from '../../../common/errors';
import type { Answer } from './harness';

export interface ErrorKey {
  code: unknown;
  path: (string | number)[] | null;
}

function errorKeys(answer: Answer, asPublic: boolean): string[] {
  return (answer.body.errors ?? [])
    .map((error) => {
      const code = asPublic ? formatPublicError(error).extensions?.code : error.extensions?.code;
      return JSON.stringify({ code: code ?? null, path: error.path ?? null } satisfies ErrorKey);
    })
    .sort();
}

/** Each way govgraph's answer differs from plain Apollo's; empty when they agree. */
export function differences(govgraph: Answer, plain: Answer): string[] {
  const found: string[] = [];
  if (govgraph.status !== plain.status) found.push(`HTTP status: govgraph ${govgraph.status}, plain ${plain.status}`);
  const govgraphData = govgraph.body.data === undefined ? null : govgraph.body.data;
  const plainData = plain.body.data === undefined ? null : plain.body.data;
  if (!isDeepStrictEqual(govgraphData, plainData)) found.push('data differs');
  const govgraphErrors = errorKeys(govgraph, false);
  const plainErrors = errorKeys(plain, true);
  if (!isDeepStrictEqual(govgraphErrors, plainErrors)) {
    found.push(`errors (code, path) differ: govgraph [${govgraphErrors.join(', ')}], plain as public [${plainErrors.join(', ')}]`);
  }
  return found;
}

/** A mismatch as a reader needs it: the operation, its variables and both responses in full. */
export function describeMismatch(
  supergraph: string,
  request: { query: string; variables?: Record<string, unknown> },
  result: { govgraph: Answer; plain: Answer; govgraphLog: string[] },
  found: string[],
): string {
  return [
    `govgraph and plain @apollo/gateway disagree on supergraph "${supergraph}":`,
    ...found.map((line) => `  - ${line}`),
    'operation:',
    request.query,
    `variables: ${JSON.stringify(request.variables ?? {})}`,
    `govgraph (${result.govgraph.status}): ${JSON.stringify(result.govgraph.body)}`,
    `plain    (${result.plain.status}): ${JSON.stringify(result.plain.body)}`,
    ...(result.govgraphLog.length > 0 ? ['govgraph logged:', ...result.govgraphLog.map((line) => `  ${line.trim()}`)] : []),
  ].join('\n');
}
