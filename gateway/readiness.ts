import type { SubgraphEndpoint } from './config';

/** Ready when every subgraph's own readiness probe answers 200 within the timeout. */
export async function areSubgraphsReady(subgraphs: readonly SubgraphEndpoint[], timeoutMs = 1500): Promise<boolean> {
  const answers = await Promise.all(
    subgraphs.map(async ({ url }) => {
      try {
        const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) });
        return response.ok;
      } catch {
        return false;
      }
    }),
  );
  return answers.every(Boolean);
}
