/** The environment the benchmark gives the gateways it starts. */
export function requireEnv(key: string): string {
  const value = process.env[key];
  if (!value) throw new Error(`${key} must be set`);
  return value;
}

/** Subgraph name → URL of its unsigned benchmark listener, from BENCH_SUBGRAPH_URLS (JSON). */
export function subgraphUrls(): Map<string, string> {
  const parsed = JSON.parse(requireEnv('BENCH_SUBGRAPH_URLS')) as Record<string, string>;
  return new Map(Object.entries(parsed));
}
