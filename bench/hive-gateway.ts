import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadHiveGateway } from './bench-packages';
import { BENCH_CALLER_HEADER } from './bench-caller';
import { requireEnv, subgraphUrls } from './service-env';

/**
 * The benchmark's "hive" target: Hive Gateway's runtime, as its CLI runs it
 * (one process, node:http), on the same supergraph with each subgraph's URL
 * pointed at its unsigned listener. It passes the benchmark's caller header
 * on to the subgraphs, as the plain target does.
 */
function supergraphFor(urls: Map<string, string>): string {
  const sdl = readFileSync(requireEnv('SUPERGRAPH_PATH'), 'utf8');
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) => {
    const url = urls.get(name);
    return url ? `@join__graph(name: "${name}", url: "${url}")` : whole;
  });
}

async function main(): Promise<void> {
  const runtime = loadHiveGateway()({
    supergraph: supergraphFor(subgraphUrls()),
    logging: 'error',
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }): Record<string, string> => {
        const caller = request.headers.get(BENCH_CALLER_HEADER);
        return caller ? { [BENCH_CALLER_HEADER]: caller } : {};
      },
    },
  });
  const server = createServer(runtime);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(requireEnv('PORT')), '127.0.0.1', () => resolve());
  });
  const stop = () => server.close(() => void Promise.resolve(runtime.dispose()).finally(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`hive gateway could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
