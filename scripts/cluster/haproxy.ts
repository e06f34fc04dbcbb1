import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';

/**
 * HAProxy in front of a local cluster: one frontend for clients, balancing
 * over the gateway replicas, and one per department, balancing the
 * gateways' calls over that department's subgraph replicas. Why each
 * setting is what it is: docs/cluster.md.
 */

export interface Upstream {
  /** The server's name in HAProxy (the replica's name: gateway-1, grid-2). */
  name: string;
  port: number;
}

export interface HaproxyLayout {
  /** Where clients connect: the gateways' frontend. */
  frontPort: number;
  /** HAProxy's statistics page. */
  statsPort: number;
  /** The runtime API's socket (show stat), readable by its owner only. */
  socket: string;
  gateways: Upstream[];
  departments: { name: string; frontPort: number; replicas: Upstream[] }[];
  /** The gateways' SUBGRAPH_TIMEOUT_MS and SHUTDOWN_TIMEOUT_MS, which HAProxy's timeouts must exceed. */
  subgraphTimeoutMs: number;
  shutdownTimeoutMs: number;
}

/** Health checks: every half second, out after two failures, back after two successes. */
export const CHECK_INTERVAL_MS = 500;
export const CHECK_FALL = 2;
export const CHECK_RISE = 2;

/**
 * How long HAProxy waits for a gateway's answer: longer than any answer the
 * gateway gives itself. It gives up on each subgraph call after
 * SUBGRAPH_TIMEOUT_MS, and a query plan may chain a few calls; a gateway
 * that is stopping answers what it has in flight within SHUTDOWN_TIMEOUT_MS.
 * Were HAProxy to give up first, the client would get a 504 for a request
 * the gateway goes on to answer and record.
 */
export function gatewayServerTimeoutMs(subgraphTimeoutMs: number, shutdownTimeoutMs: number): number {
  return Math.max(60_000, 4 * subgraphTimeoutMs + 5_000, shutdownTimeoutMs + 5_000);
}

/** How long HAProxy waits for a subgraph: longer than the gateway waits, so that the gateway always gives up first and answers SUBGRAPH_UNAVAILABLE. */
export function subgraphServerTimeoutMs(subgraphTimeoutMs: number): number {
  return subgraphTimeoutMs + 5_000;
}

const servers = (upstreams: Upstream[]) => upstreams.map(({ name, port }) => `  server ${name} 127.0.0.1:${port} check`);

/** Comment lines for the file, so that whoever reads haproxy.cfg reads why as well. */
const why = (...lines: string[]) => lines.map((line) => `  # ${line}`);

export function haproxyConfig(layout: HaproxyLayout): string {
  const lines = [
    '# Written by npm run cluster (scripts/cluster/haproxy.ts) for this run; more in docs/cluster.md.',
    'global',
    '  log stdout format raw local0 info',
    `  stats socket ${layout.socket} mode 600 level admin`,
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  log global',
    ...why('Only what went wrong or was retried is logged: errors, retries, redispatches, servers going down and up.'),
    '  option httplog',
    '  option dontlog-normal',
    ...why('On the loopback a stopped server refuses at once.'),
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout http-request 10s',
    ...why(
      "Longer than clients keep an idle connection (Node's fetch and the gateway's pools: 4 s), so that",
      'the client closes it, never HAProxy while the client is sending a request on it.',
    ),
    '  timeout http-keep-alive 30s',
    '  timeout queue 5s',
    ...why("A gateway's /readyz asks each department for at most 0.5 s."),
    '  timeout check 2s',
    ...why(
      'Retried, on another server each time, up to three times: a request whose connection was refused',
      '(no server saw it), or closed without a byte of answer (a stopping gateway answers what it read,',
      'unless it cuts the request off at its deadline: then a query is answered by another replica).',
      'Never on a time-out or a 5xx: the server may be working on it, or answered it on purpose.',
    ),
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response',
    '  option http-buffer-request',
    ...why('Ready: a gateway whose audit store takes a write; a subgraph whose database answers.'),
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    `  default-server inter ${CHECK_INTERVAL_MS} fall ${CHECK_FALL} rise ${CHECK_RISE}`,
    '',
    'frontend gateway',
    `  bind 127.0.0.1:${layout.frontPort}`,
    ...why('HAProxy is the edge: an address a client claims is dropped; the gateways trust the one HAProxy adds.'),
    '  http-request del-header x-forwarded-for',
    '  option forwardfor',
    ...why('Metrics are scraped from each replica by Prometheus, not read by clients: traffic by operation is not theirs to see.'),
    '  http-request deny deny_status 404 if { path /metrics }',
    '  default_backend gateways',
    '',
    'backend gateways',
    '  balance roundrobin',
    ...why('A new connection per request: a stopping gateway never has an idle one to close under HAProxy.'),
    '  option http-server-close',
    ...why('A mutation is retried only when no gateway saw it (connection refused), never after a silent close.'),
    '  http-request disable-l7-retry if { req.body -m sub -i mutation }',
    ...why('Longer than any answer of a gateway: its subgraph calls (SUBGRAPH_TIMEOUT_MS each), its shutdown.'),
    `  timeout server ${gatewayServerTimeoutMs(layout.subgraphTimeoutMs, layout.shutdownTimeoutMs)}`,
    ...servers(layout.gateways),
  ];
  for (const department of layout.departments) {
    lines.push(
      '',
      `frontend ${department.name}`,
      `  bind 127.0.0.1:${department.frontPort}`,
      `  default_backend ${department.name}`,
      '',
      `backend ${department.name}`,
      '  balance roundrobin',
      ...why(
        'Retries are safe here, mutations included: a signed call retried on another replica after the',
        'first one read it is refused there as a replay (the replicas share its nonce), never run twice.',
        'The gateway gives up first (SUBGRAPH_TIMEOUT_MS) and answers SUBGRAPH_UNAVAILABLE itself.',
      ),
      `  timeout server ${subgraphServerTimeoutMs(layout.subgraphTimeoutMs)}`,
      ...servers(department.replicas),
    );
  }
  lines.push('', 'listen stats', `  bind 127.0.0.1:${layout.statsPort}`, '  stats enable', '  stats uri /', '  stats refresh 2s', '');
  return lines.join('\n');
}

/** The Debian package's binary, or HAPROXY, or one on the PATH. */
export function findHaproxy(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HAPROXY) return env.HAPROXY;
  if (existsSync('/usr/sbin/haproxy')) return '/usr/sbin/haproxy';
  const onPath = execFileSync('sh', ['-c', 'command -v haproxy || true']).toString().trim();
  if (onPath) return onPath;
  throw new Error('HAProxy not found: install it (apt-get install haproxy) or name its binary in HAPROXY');
}

export interface ServerState {
  /** UP, DOWN, MAINT, or a transition such as "UP 1/2". */
  status: string;
  /** Requests HAProxy has in flight to it now. */
  sessions: number;
}

/** Each server as HAProxy sees it, by `backend/server`, from the runtime API (show stat). */
export async function serverStatus(socket: string): Promise<Map<string, ServerState>> {
  const csv = await new Promise<string>((resolve, reject) => {
    let text = '';
    const connection = createConnection(socket);
    connection.setTimeout(2_000, () => connection.destroy(new Error('HAProxy runtime API did not answer within 2 s')));
    connection.on('connect', () => connection.end('show stat\n'));
    connection.on('data', (chunk: Buffer) => (text += chunk.toString()));
    connection.on('end', () => resolve(text));
    connection.on('error', reject);
  });
  const [header, ...rows] = csv.split('\n').filter((line) => line.trim() !== '');
  const columns = (header ?? '').replace(/^# /, '').split(',');
  const [proxy, server, status, sessions] = ['pxname', 'svname', 'status', 'scur'].map((name) => columns.indexOf(name));
  const states = new Map<string, ServerState>();
  for (const row of rows) {
    const cells = row.split(',');
    const name = cells[server!];
    if (name && name !== 'FRONTEND' && name !== 'BACKEND') {
      states.set(`${cells[proxy!]}/${name}`, { status: cells[status!] ?? '', sessions: Number(cells[sessions!] ?? 0) });
    }
  }
  return states;
}
