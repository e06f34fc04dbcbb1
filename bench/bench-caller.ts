import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { UnauthenticatedError } from '../common/errors';
import { decodeContext, SignatureError, type GovernanceContext } from '../common/governance-context';

/**
 * How the benchmark names a caller to gateways that cannot sign (plain
 * Apollo, Hive) and to the subgraphs' second listener behind them: the
 * governance context in the same encoding the gateway signs, in one header,
 * so every target gets the same jurisdiction in SQL. This is the only code
 * that trusts an unsigned caller; it reaches a subgraph only through the
 * kit's second listener, which bench/subgraph.ts alone opens.
 */
export const BENCH_CALLER_HEADER = 'x-bench-caller';

/** The caller the header names, with a fresh request id; 401 without a well-formed header. */
export function identifyBenchCaller(req: IncomingMessage): GovernanceContext {
  const encoded = req.headers[BENCH_CALLER_HEADER];
  try {
    if (typeof encoded !== 'string') throw new SignatureError(`missing ${BENCH_CALLER_HEADER}`);
    return { ...decodeContext(encoded), requestId: randomUUID() };
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    throw new UnauthenticatedError(`The benchmark listener needs an ${BENCH_CALLER_HEADER} header`);
  }
}
