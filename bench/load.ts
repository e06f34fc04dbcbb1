import { loadAutocannon } from './bench-packages';
import type { BenchRequest } from './workload';

/**
 * One measuring window: autocannon at a fixed concurrency against one target,
 * each request a fresh draw from the workload. Responses are checked as they
 * come: a status other than 200 or a GraphQL `errors` member counts as a
 * failure, so a fast wrong answer cannot pass for throughput.
 */
export interface Target {
  name: string;
  url: string;
  /** The gateway's (or subgraph's) process, for its memory. */
  pid: number | undefined;
  headersFor(request: BenchRequest): Record<string, string>;
}

export interface WindowResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** One failing answer, to show what went wrong (status and the start of the body). */
  failure?: string;
}

export interface WindowOptions {
  connections: number;
  seconds: number;
  draw: () => BenchRequest;
}

export async function runWindow(target: Target, options: WindowOptions): Promise<WindowResult> {
  let failed = 0;
  let failure: string | undefined;
  const result = await loadAutocannon()({
    url: target.url,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const next = options.draw();
          return {
            ...request,
            headers: { 'content-type': 'application/json', ...target.headersFor(next) },
            body: JSON.stringify({ operationName: next.operationName, query: next.query, variables: next.variables }),
          };
        },
        onResponse: (status, body) => {
          // A cheap scan: answers are JSON with `errors` only when something went wrong.
          if (status !== 200 || body.includes('"errors":')) {
            failed += 1;
            failure ??= `${status} ${body.slice(0, 300)}`;
          }
        },
      },
    ],
  });
  const requests = result.requests.total;
  return {
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: failed + result.errors,
    failure: failure ?? (result.errors > 0 ? `${result.errors} connection errors, ${result.timeouts} timeouts` : undefined),
  };
}
