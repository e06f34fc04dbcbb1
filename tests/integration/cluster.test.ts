import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../../common/project-root';
import type { Identity } from '../../gateway/identity/identity';
import { loadSandboxSigningKey, mintSandboxToken } from '../../gateway/identity/sandbox-keys';
import { startCluster, type Cluster, type Replica } from '../../scripts/cluster/cluster';
import type { Runner } from '../../scripts/cluster/replica';
import { waitFor } from '../helpers/wait-for';
import { ERROR_CODES } from '../../common/errors';

/**
 * The local cluster `npm run cluster` starts (2 gateway replicas and 2
 * replicas of each subgraph behind HAProxy, on one PostgreSQL), driven with
 * mixed load from several clients while one gateway replica is stopped with
 * SIGTERM and started again, and one subgraph replica is killed and started
 * again. Every request must be answered or cleanly refused, every request a
 * gateway answered recorded exactly once, and the trail intact and gapless.
 */

const root = projectRoot();
/** The services from their sources, as the other process tests run them: no build of dist/ needed. */
const sources: Runner = (entry) => [
  '-r',
  path.join(root, 'tests', 'helpers', 'ts-register.js'),
  '-r',
  'reflect-metadata',
  path.join(root, `${entry}.ts`),
];

const CLIENTS = 6;
/** Each client sends at most this many requests a second: well under the cluster's rate limits, even with one gateway left. */
const CLIENT_RATE = 8;
/** Load before, during and after the disruptions, at least this long in all. */
const LOAD_MS = 16_000;

/** The codes of a clean refusal (README: error codes); INTERNAL is a fault, not a clean failure. */
const CLEAN_CODES: ReadonlySet<string> = new Set(ERROR_CODES.filter((code) => code !== 'INTERNAL'));

interface Kind {
  name: string;
  as: Identity;
  purpose: string;
  query: string;
  variables?: () => Record<string, unknown>;
}

const OFFICER: Identity = { sub: 'cl-officer', name: '集群专员', department: 'civil-affairs', roles: ['officer'], areas: ['610921'] };
const GRID_WORKER: Identity = { sub: 'cl-grid', name: '集群网格员', department: 'grid', roles: ['grid_worker'], areas: ['610921'] };
const ANALYST: Identity = { sub: 'cl-analyst', name: '集群分析员', department: 'statistics', roles: ['analyst'], areas: ['610921'] };
const PETITIONS: Identity = { sub: 'cl-petitions', name: '集群信访', department: 'petitions', roles: ['officer'], areas: ['610921'] };
const AUDITOR: Identity = { sub: 'cl-steward', name: '集群管理员', department: 'data-office', roles: ['steward'], areas: ['610921'] };
const CIVIL_STEWARD: Identity = {
  sub: 'cl-ca-steward',
  name: '民政管理员',
  department: 'civil-affairs',
  roles: ['steward'],
  areas: ['610921'],
};

/** Mixed load: personal data across departments, aggregates, a steward's query, a refusal, a sharing request. */
const KINDS: Kind[] = [
  {
    name: 'residents across civil affairs and the grid',
    as: OFFICER,
    purpose: 'service',
    query: '{ residents(first: 5, filter: { areaCode: "610921" }) { totalCount nodes { id name idNumber gridCell { name } } } }',
  },
  {
    name: 'a page of residents with their households and grid cells',
    as: OFFICER,
    purpose: 'service',
    query: '{ residents(first: 40) { totalCount nodes { id name birthDate household { members { name } } gridCell { name } } } }',
  },
  {
    name: 'means test across civil affairs and social security',
    as: OFFICER,
    purpose: 'assistance',
    query:
      '{ residents(first: 3) { nodes { name benefits { type monthlyAmount } employment { status since } pensions { month amount } } } }',
  },
  {
    name: 'a grid worker, petitions denied',
    as: GRID_WORKER,
    purpose: 'assistance',
    query: '{ residents(first: 2) { nodes { name phone idNumber petitions { content } } } }',
  },
  {
    name: 'aggregates',
    as: ANALYST,
    purpose: 'statistics',
    query: '{ benefitSummary(areaCode: "610921") { activeCount monthlyTotal } socialSecuritySummary(areaCode: "610921") { total } }',
  },
  {
    name: 'petitions with their petitioners',
    as: PETITIONS,
    purpose: 'petition_handling',
    query: '{ petitions(first: 3) { nodes { trackingNumber petitioner { name phone idNumber } } } }',
  },
  {
    name: "a steward's audit query",
    as: AUDITOR,
    purpose: 'supervision',
    query: '{ auditEvents(first: 2) { totalCount nodes { seq outcome status } } }',
  },
  {
    name: 'a mutation refused',
    as: GRID_WORKER,
    purpose: 'assistance',
    query: 'mutation ($input: GrantBenefitInput!) { grantBenefit(input: $input) { id } }',
    variables: () => ({
      input: { residentId: randomUUID(), type: 'DISABILITY_ALLOWANCE', monthlyAmount: 80, startDate: '2026-01-01' },
    }),
  },
  {
    name: 'a sharing request filed',
    as: CIVIL_STEWARD,
    purpose: 'supervision',
    query: 'mutation ($input: SharingRequestInput!) { requestSharing(input: $input) { id status } }',
    variables: () => ({
      input: {
        fields: ['Resident.careLevel'],
        purposes: ['service'],
        scenario: '集群测试：上门服务前了解照护等级',
        basis: '《政务数据共享条例》',
        validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
      },
    }),
  },
];

interface Outcome {
  clientId: string;
  kind: string;
  /** Undefined when no answer came: a reset, a hang-up, a time-out. */
  status?: number;
  /** The gateway's id (X-Request-Id); absent when HAProxy answered itself. */
  requestId?: string;
  codes: string[];
  body: string;
  failure?: string;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('a cluster of 2 gateways and 2 replicas of each subgraph behind HAProxy', () => {
  let cluster: Cluster | undefined;
  const logs: string[] = [];
  let passed = false;

  // Given up if the start outlives its time: whatever it started is then killed, and afterAll waits for that.
  const abort = new AbortController();
  let starting: Promise<Cluster> | undefined;

  beforeAll(async () => {
    starting = startCluster({
      gateways: 2,
      replicas: 2,
      residents: 600,
      runner: sources,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      log: (line) => logs.push(line),
      abort: abort.signal,
    });
    cluster = await starting;
  }, 180_000);

  afterAll(async () => {
    abort.abort();
    await (cluster ?? (await starting?.catch(() => undefined)))?.stop();
    // The processes' own account: all of it to CLUSTER_TEST_LOG if set, the end of it on a failure.
    if (process.env.CLUSTER_TEST_LOG) writeFileSync(process.env.CLUSTER_TEST_LOG, `${logs.join('\n')}\n`);
    if (!passed) process.stderr.write(`cluster logs, last 150 lines:\n${logs.slice(-150).join('\n')}\n`);
  }, 90_000);

  it('answers or cleanly fails every request while replicas stop and start, records each once, and keeps the trail intact', async () => {
    const c = cluster!;
    const key = loadSandboxSigningKey(c.dataDir).privateKey;
    const tokens = new Map<Identity, string>();
    for (const kind of KINDS) if (!tokens.has(kind.as)) tokens.set(kind.as, await mintSandboxToken(key, kind.as, 3600));
    // Letters only: the gateway masks six digits in a row in what it records, as it would an ID number.
    const run = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
    const outcomes: Outcome[] = [];
    let loading = true;

    const send = async (client: number, n: number): Promise<Outcome> => {
      const kind = KINDS[(client + n) % KINDS.length]!;
      const clientId = `cluster-${run}-${client}-${n}`;
      const outcome: Outcome = { clientId, kind: kind.name, codes: [], body: '' };
      try {
        const response = await fetch(`${c.url}/graphql`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.get(kind.as)}`,
            'x-purpose': kind.purpose,
            'content-type': 'application/json',
            'x-request-id': clientId,
          },
          body: JSON.stringify({ query: kind.query, variables: kind.variables?.() }),
          signal: AbortSignal.timeout(30_000),
        });
        outcome.status = response.status;
        outcome.requestId = response.headers.get('x-request-id') ?? undefined;
        outcome.body = await response.text();
        try {
          const parsed = JSON.parse(outcome.body) as { errors?: { extensions?: { code?: string } }[] };
          outcome.codes = (parsed.errors ?? []).map((error) => error.extensions?.code ?? 'none');
        } catch {
          // Not JSON: HAProxy's own page, judged below.
        }
      } catch (error) {
        outcome.failure = error instanceof Error ? `${error.message}${error.cause ? `: ${String(error.cause)}` : ''}` : String(error);
      }
      return outcome;
    };

    const client = async (index: number) => {
      for (let n = 0; loading; n += 1) {
        const started = Date.now();
        outcomes.push(await send(index, n));
        await pause(Math.max(0, 1000 / CLIENT_RATE - (Date.now() - started)));
      }
    };

    const events: string[] = [];
    /** Waits (briefly) until HAProxy has requests in flight to `replica`, so that the stop cuts into some; says how many. */
    const inFlight = async (replica: Replica) => {
      const key = `${replica.backend}/${replica.name}`;
      try {
        return await waitFor(async () => (await c.serverStatus()).get(key)?.sessions, {
          what: `requests in flight to ${replica.name}`,
          timeoutMs: 5_000,
          intervalMs: 2,
        });
      } catch {
        return 0;
      }
    };
    const disrupt = async () => {
      await waitFor(() => outcomes.length >= 40, { what: 'some load before the first stop', timeoutMs: 20_000, intervalMs: 50 });
      const gateway = c.gateways[0]!;
      const gatewayBusy = await inFlight(gateway);
      const stopped = await c.stopReplica(gateway, 'SIGTERM');
      events.push(
        `${gateway.name} stopped by SIGTERM with ${gatewayBusy} requests in flight: exit ${stopped.code ?? stopped.signal} after ${outcomes.length} answers`,
      );
      await c.startReplica(gateway);
      events.push(`${gateway.name} back in rotation after ${outcomes.length} answers`);
      const subgraph = c.subgraphs['civil-affairs']![0]!;
      const subgraphBusy = await inFlight(subgraph);
      const killed = await c.stopReplica(subgraph, 'SIGKILL');
      events.push(`${subgraph.name} killed (${killed.signal}) with ${subgraphBusy} calls in flight after ${outcomes.length} answers`);
      await c.startReplica(subgraph);
      events.push(`${subgraph.name} back in rotation after ${outcomes.length} answers`);
    };

    const started = Date.now();
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
    try {
      await disrupt();
      // Load after the last restart too, through both gateways and all replicas again.
      await pause(Math.max(3_000, LOAD_MS - (Date.now() - started)));
    } finally {
      loading = false;
      await Promise.all(clients);
    }
    const loadMs = Date.now() - started;

    // Every gateway stops as a supervisor stops it: what it has queued is committed and anchored.
    for (const gateway of c.gateways) expect((await c.stopReplica(gateway, 'SIGTERM')).code).toBe(0);
    expect(c.unexpectedExits).toEqual([]);

    const unanswered = outcomes.filter((o) => o.status === undefined);
    const fromGateway = outcomes.filter((o) => o.status !== undefined && o.requestId !== undefined);
    const fromProxy = outcomes.filter((o) => o.status !== undefined && o.requestId === undefined);
    // A gateway's answer: a GraphQL result (data, errors or both) whose every error has a known code; INTERNAL is a fault.
    const unclean = fromGateway.filter((o) => (o.status !== 200 && o.codes.length === 0) || o.codes.some((code) => !CLEAN_CODES.has(code)));
    // HAProxy answers itself only when no gateway could take the request: 502, 503 or 504 with its own page.
    const proxyUnclean = fromProxy.filter((o) => ![502, 503, 504].includes(o.status!) || o.body.length === 0);

    const database = new Client({ connectionString: c.databaseUrl('gateway') });
    await database.connect();
    let rows: { seq: number; request_id: string; client_request_id: string | null }[];
    try {
      rows = (await database.query('SELECT seq, request_id, client_request_id FROM audit_event ORDER BY seq')).rows;
    } finally {
      await database.end();
    }
    const byClientId = new Map<string, { seq: number; request_id: string }[]>();
    for (const row of rows) {
      if (row.client_request_id) byClientId.set(row.client_request_id, [...(byClientId.get(row.client_request_id) ?? []), row]);
    }
    // A gateway's answer: exactly one record, under the id it answered with. HAProxy's own: none.
    const notOnce = fromGateway.filter((o) => {
      const records = byClientId.get(o.clientId) ?? [];
      return records.length !== 1 || records[0]!.request_id !== o.requestId;
    });
    const proxyRecorded = fromProxy.filter((o) => byClientId.has(o.clientId));
    const ours = new Set(outcomes.map((o) => o.clientId));
    const strangers = [...byClientId.keys()].filter((id) => id.startsWith(`cluster-${run}-`) && !ours.has(id));
    const requestIds = rows.map((row) => row.request_id);

    // The real script, once per replica: the chain is one for all, the anchor and spool each replica's own.
    const verifyAs = (gateway: Replica) =>
      new Promise<{ replica: string; code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [...sources('scripts/audit-verify')], {
          cwd: root,
          env: c.scriptEnv(gateway),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => resolve({ replica: gateway.name, code, output: output.trim() }));
      });
    const verifications = [];
    for (const gateway of c.gateways) verifications.push(await verifyAs(gateway));

    const count = (list: Outcome[], key: (o: Outcome) => string) =>
      Object.fromEntries([...new Set(list.map(key))].map((k) => [k, list.filter((o) => key(o) === k).length]));
    process.stdout.write(
      `cluster load: ${outcomes.length} requests in ${(loadMs / 1000).toFixed(1)} s from ${CLIENTS} clients; ` +
        `${fromGateway.length} answered by a gateway ${JSON.stringify(count(fromGateway, (o) => `${o.status} ${[...new Set(o.codes)].join('+') || 'ok'}`))}; ` +
        `${fromProxy.length} by HAProxy ${JSON.stringify(count(fromProxy, (o) => String(o.status)))}; ${unanswered.length} unanswered; ` +
        `${rows.length} records; ${events.join('; ')}; audit:verify ${verifications.map((v) => `as ${v.replica}: ${v.output.replaceAll('\n', ' / ')}`).join('; ')}\n`,
    );

    expect(unanswered.map((o) => `${o.clientId} ${o.kind}: ${o.failure}`)).toEqual([]);
    expect(unclean.map((o) => `${o.clientId} ${o.kind}: ${o.status} ${o.body.slice(0, 300)}`)).toEqual([]);
    expect(proxyUnclean.map((o) => `${o.clientId} ${o.kind}: ${o.status} ${o.body.slice(0, 300)}`)).toEqual([]);
    expect(notOnce.map((o) => `${o.clientId} ${o.kind}: ${JSON.stringify(byClientId.get(o.clientId) ?? [])}`)).toEqual([]);
    expect(proxyRecorded.map((o) => o.clientId)).toEqual([]);
    expect(strangers).toEqual([]);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    // Gapless: seq runs 1..n.
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
    // Every kind of request got through at least once, and so did nearly all of the load.
    for (const kind of KINDS) expect(fromGateway.some((o) => o.kind === kind.name && o.status! < 500)).toBe(true);
    expect(fromGateway.length).toBeGreaterThan(outcomes.length * 0.95);
    for (const verification of verifications) {
      expect(verification.output).toContain(`audit trail intact: ${rows.length} records`);
      expect(verification.code).toBe(0);
    }
    passed = true;
  }, 150_000);
});
