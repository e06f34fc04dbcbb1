/**
 * One differential supergraph, live: its test subgraphs on free ports,
 * composed at start, and two gateways over the same subgraphs: govgraph
 * (startGateway, with a sandbox token and a purpose) and plain
 * @apollo/gateway inside @apollo/server. `ask` sends one HTTP body to both.
 *
 * For the governed test (./governed.test.ts): govgraph's grant store can be
 * seeded, several callers get a token each, each gateway can be asked on its
 * own (`askGovgraph` as one of the callers, under a request id the
 * subgraphs see again), and every request the subgraphs receive is handed
 * to `onSubgraphRequest`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';
import { createLogger } from '../../../common/logger';
import type { Grant } from '../../../gateway/access/policy';
import { disableApolloTelemetry } from '../../../gateway/federation';
import { loadGatewayConfig } from '../../../gateway/config';
import type { Identity } from '../../../gateway/identity/identity';
import { loadSandboxSigningKey, mintSandboxToken } from '../../../gateway/identity/sandbox-keys';
import { startGateway, type RunningGateway } from '../../../gateway/server';
import type { SupergraphFixture } from './fixture';
import { withSharing } from './sharing';
import { startTestSubgraph, type ReceivedRequest, type RunningTestSubgraph } from './subgraph-server';

export interface Answer {
  status: number;
  /** The id the gateway gave the request (X-Request-Id of the response), which it passes on to subgraphs. */
  requestId?: string;
  body: { data?: unknown; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

export interface Differential {
  fixture: SupergraphFixture;
  supergraphSdl: string;
  /** The API schema the plain gateway serves (the supergraph's, without federation's own types). */
  apiSchema: GraphQLSchema;
  /** The same request body to both gateways, govgraph's as the first caller; govgraph's log lines written while it answered come with it. */
  ask(body: OperationBody): Promise<{ govgraph: Answer; plain: Answer; govgraphLog: string[] }>;
  /** The body to plain Apollo alone. */
  askPlain(body: OperationBody): Promise<Answer>;
  /** The body to govgraph alone, as the caller whose `sub` is given, with this X-Request-Id. */
  askGovgraph(body: OperationBody, sub: string, requestId: string): Promise<{ answer: Answer; log: string[] }>;
  stop(): Promise<void>;
}

export interface OperationBody {
  query: string;
  variables?: Record<string, unknown>;
}

export interface DifferentialOptions {
  /** Seeded into govgraph's empty grant store; none by default. */
  grants?: Grant[];
  /** Who asks govgraph, each with a sandbox token; the first is the one `ask` uses. One data-office analyst by default. */
  callers?: Identity[];
  /** Every request a subgraph receives, from either gateway. */
  onSubgraphRequest?: (request: ReceivedRequest) => void;
}

const PURPOSE = 'statistics';

const CALLER: Identity = {
  sub: 'differential-test',
  name: 'Differential test',
  department: 'data-office',
  roles: ['analyst'],
  areas: ['610921'],
};

const silentApolloLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    parsed = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, requestId: response.headers.get('x-request-id') ?? undefined, body: parsed };
}

/** Composes the fixture's subgraphs, served at `urls`; fails with composition's messages. */
export function composeFixture(fixture: SupergraphFixture, urls: ReadonlyMap<string, string>): string {
  const result = composeServices(
    fixture.subgraphs.map((subgraph) => ({ name: subgraph.name, url: urls.get(subgraph.name)!, typeDefs: withSharing(subgraph.sdl) })),
  );
  if (result.errors) throw new Error(`${fixture.name} does not compose:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  return result.supergraphSdl;
}

async function startPlain(supergraphSdl: string): Promise<{ url: string; apiSchema: GraphQLSchema; stop: () => Promise<void> }> {
  disableApolloTelemetry();
  const gateway = new ApolloGateway({ supergraphSdl, logger: silentApolloLogger });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate((update) => {
    apiSchema = update.apiSchema;
  });
  const server = new ApolloServer({
    gateway,
    logger: silentApolloLogger,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  if (!apiSchema) throw new Error('the plain gateway started without a schema');
  return { url, apiSchema, stop: () => server.stop() };
}

export async function startDifferential(fixture: SupergraphFixture, options: DifferentialOptions = {}): Promise<Differential> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `govgraph-differential-${fixture.name}-`));
  const subgraphs: RunningTestSubgraph[] = [];
  let govgraph: RunningGateway | undefined;
  let plain: Awaited<ReturnType<typeof startPlain>> | undefined;
  const stop = async (): Promise<void> => {
    await govgraph?.stop();
    await plain?.stop();
    await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    for (const subgraph of fixture.subgraphs) subgraphs.push(await startTestSubgraph(subgraph, options.onSubgraphRequest));
    const urls = new Map(subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
    const supergraphSdl = composeFixture(fixture, urls);
    const supergraphPath = path.join(dataDir, 'supergraph.graphql');
    writeFileSync(supergraphPath, supergraphSdl);
    plain = await startPlain(supergraphSdl);
    const log: string[] = [];
    const logger = createLogger('gateway', 'warn', { write: (line: string) => void log.push(line) });
    govgraph = await startGateway(
      {
        ...loadGatewayConfig({ DATA_DIR: dataDir }),
        supergraphPath,
        // Generated operations compare answers, not cost: the budget (tested in query-cost.test.ts) stays out of the way.
        costBudgets: { '*': Number.MAX_SAFE_INTEGER },
        subgraphs: subgraphs.map(({ name, url }) => ({ name, url, keys: `keys/${name}` })),
        port: 0,
        logLevel: 'warn',
      },
      logger,
      { seedGrants: options.grants ?? [] },
    );
    const signingKey = loadSandboxSigningKey(dataDir).privateKey;
    const callers = options.callers ?? [CALLER];
    const headers = new Map<string, Record<string, string>>();
    for (const caller of callers) {
      const token = await mintSandboxToken(signingKey, caller, 3600);
      headers.set(caller.sub, { authorization: `Bearer ${token}`, 'x-purpose': PURPOSE });
    }
    const headersOf = (sub: string): Record<string, string> => {
      const found = headers.get(sub);
      if (!found) throw new Error(`no caller ${sub}`);
      return found;
    };
    const running = { govgraph, plain };
    return {
      fixture,
      supergraphSdl,
      apiSchema: plain.apiSchema,
      ask: async (request) => {
        const body = JSON.stringify(request);
        const logged = log.length;
        const [govgraphAnswer, plainAnswer] = await Promise.all([
          post(running.govgraph.url, body, headersOf(callers[0]!.sub)),
          post(running.plain.url, body, headersOf(callers[0]!.sub)),
        ]);
        return { govgraph: govgraphAnswer, plain: plainAnswer, govgraphLog: log.slice(logged) };
      },
      askPlain: (request) => post(running.plain.url, JSON.stringify(request)),
      askGovgraph: async (request, sub, requestId) => {
        const logged = log.length;
        const answer = await post(running.govgraph.url, JSON.stringify(request), { ...headersOf(sub), 'x-request-id': requestId });
        return { answer, log: log.slice(logged) };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
