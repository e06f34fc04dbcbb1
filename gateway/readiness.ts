import type { Readiness } from '../common/http-server';
import type { SubgraphEndpoint } from './config';

/**
 * What the gateway's /readyz reports. A replica is ready when it can serve:
 * its audit store takes a write now. A subgraph that is down makes answers
 * partial (SUBGRAPH_UNAVAILABLE at its paths) on every replica alike, so it
 * is reported in the body and never turns the replica's readiness: a load
 * balancer would otherwise pull every replica at once for one department's
 * outage.
 */

export type SubgraphHealth = 'ready' | 'not ready';

/** How long one subgraph's probe may take: /readyz must answer well within a load balancer's timeout. */
export const SUBGRAPH_PROBE_TIMEOUT_MS = 500;
/** Probes are shared by the /readyz requests of this long, so polling cannot turn into a write load. */
export const PROBE_REUSE_MS = 1000;

/** Ready when its own readiness probe answers 200 within the timeout. */
export async function probeSubgraphs(
  subgraphs: readonly SubgraphEndpoint[],
  timeoutMs = SUBGRAPH_PROBE_TIMEOUT_MS,
): Promise<Record<string, SubgraphHealth>> {
  const answers = await Promise.all(
    subgraphs.map(async ({ name, url }): Promise<[string, SubgraphHealth]> => {
      try {
        const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return [name, response.ok ? 'ready' : 'not ready'];
      } catch {
        return [name, 'not ready'];
      }
    }),
  );
  return Object.fromEntries(answers);
}

/** One run of `probe` at a time, its result reused for `reuseMs`. */
export function shared<T>(probe: () => Promise<T>, reuseMs = PROBE_REUSE_MS): () => Promise<T> {
  let last: { at: number; result: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= reuseMs) {
      const result = probe();
      last = { at: now, result };
      // A probe that fails is not kept: the next /readyz probes again.
      result.catch(() => {
        if (last?.result === result) last = undefined;
      });
    }
    return last.result;
  };
}

export interface GatewayReadinessSources {
  /** Resolves true once the audit store took a write, false if it refused one. */
  probeAudit(): Promise<boolean>;
  subgraphs: readonly SubgraphEndpoint[];
}

/** The gateway's readiness: the audit store's probe decides; each subgraph's health goes into the body. */
export function createGatewayReadiness({ probeAudit, subgraphs }: GatewayReadinessSources): () => Promise<Readiness> {
  const audit = shared(() => probeAudit().catch(() => false));
  const departments = shared(() => probeSubgraphs(subgraphs));
  return async () => {
    const [writable, health] = await Promise.all([audit(), departments()]);
    return { ready: writable, details: { audit: writable ? 'writable' : 'not writable', subgraphs: health } };
  };
}
