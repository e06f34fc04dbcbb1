import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { projectRoot } from '../common/project-root';

/**
 * The packages only the benchmark needs (autocannon, Hive Gateway) live in
 * bench/node_modules, installed from bench/package.json by `npm run bench`
 * on first run, so a plain `npm install` never fetches them. Node does not
 * look there from dist/bench, hence the explicit require. The types below
 * declare just the part of each API the benchmark uses: they keep the bench
 * code type-checked by `npm test`, where bench/node_modules is absent.
 */
const requireFromBench = createRequire(path.join(projectRoot(), 'bench', 'package.json'));

export interface AutocannonRequest {
  method: 'POST';
  setupRequest(request: Record<string, unknown>): Record<string, unknown>;
  onResponse(status: number, body: string): void;
}

export interface AutocannonOptions {
  url: string;
  connections: number;
  pipelining: number;
  /** Seconds. */
  duration: number;
  /** Seconds. */
  timeout: number;
  requests: AutocannonRequest[];
}

export interface AutocannonResult {
  requests: { total: number };
  /** Seconds. */
  duration: number;
  /** Milliseconds. */
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
}

export type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;

export interface HiveGatewayOptions {
  supergraph: string;
  logging: 'error';
  propagateHeaders: { fromClientToSubgraphs(payload: { request: Request }): Record<string, string> };
}

export interface HiveGatewayRuntime {
  (req: IncomingMessage, res: ServerResponse): void;
  dispose(): unknown;
}

function requireBenchPackage<T>(name: string, pick: (module: Record<string, unknown>) => unknown): T {
  let module: Record<string, unknown>;
  try {
    module = requireFromBench(name) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${name} is missing from bench/node_modules: run \`npm ci --prefix bench\` (npm run bench does it once)`, {
      cause: error,
    });
  }
  const value = pick(module);
  if (typeof value !== 'function') throw new Error(`${name} does not export what the benchmark uses`);
  return value as T;
}

export function loadAutocannon(): Autocannon {
  return requireBenchPackage<Autocannon>('autocannon', (module) => module);
}

export function loadHiveGateway(): (options: HiveGatewayOptions) => HiveGatewayRuntime {
  return requireBenchPackage('@graphql-hive/gateway', (module) => module.createGatewayRuntime);
}
