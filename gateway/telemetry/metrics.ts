/**
 * The gateway's metrics, in Prometheus's text format at GET /metrics:
 * requests by outcome and operation, field decisions by action and reason
 * (denials, masking), the audit queue and its commits, subgraph calls, the
 * decision cache, and the process. A registry per gateway, so that several
 * in one process (tests) keep apart. Labels are codes and bounded names,
 * never a value.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Decision, DecisionReason } from '../access/policy';

/** Distinct operation names kept as labels; later ones are counted as `other`, so a client cannot grow the series without bound. */
const MAX_OPERATIONS = 200;

export type CallOutcome = 'ok' | 'error' | 'timeout';

export interface GatewayMetricsSources {
  auditQueue: () => { queued: number; failedCommits: number; head: number };
  decisionCache: () => { hits: number; misses: number; size: number };
  /** Per subgraph: connections open and calls waiting for one. */
  subgraphPools: () => { name: string; connected: number; pending: number }[];
}

type DecisionLabels = { class: string; action: string; reason: string };

/** The class of field a decision was about, as its reason tells: what its owner classified it, or that it is the caller's own. */
const CLASS_OF_REASON: Record<DecisionReason, string> = {
  UNCLASSIFIED: 'unclassified',
  OWNER: 'own',
  UNCONDITIONAL: 'unconditional',
  NOT_SHARED: 'none',
  GRANTED: 'conditional',
  NO_GRANT: 'conditional',
  NO_MASKER: 'conditional',
  MUTATION_BY_OWNER: 'own',
  MUTATION_NOT_ALLOWED: 'mutation',
  ROLE: 'role',
  ROLE_REQUIRED: 'role',
  INTROSPECTION: 'schema',
  DENIED_FOR_ANOTHER_TYPE: 'conditional',
  REQUIRES_DENIED_FIELD: 'conditional',
};

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly tallies = new WeakMap<ReadonlyMap<string, Decision>, readonly [DecisionLabels, number][]>();
  private readonly requests = new Counter({
    name: 'govgraph_requests_total',
    help: 'Requests to /graphql, by how they ended and by operation (name, or type when unnamed)',
    labelNames: ['outcome', 'status', 'operation'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'govgraph_request_duration_seconds',
    help: 'Time from a request’s first byte to its end, by outcome',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly decisions = new Counter({
    name: 'govgraph_field_decisions_total',
    help: 'Field decisions made for requests, by the field’s class (own, unconditional, conditional, none, role, unclassified), action (ALLOW, MASK, DENY) and reason (OWNER, GRANTED, NO_GRANT, NOT_SHARED, …)',
    labelNames: ['class', 'action', 'reason'],
    registers: [this.registry],
  });
  private readonly commit = new Histogram({
    name: 'govgraph_audit_commit_seconds',
    help: 'Time to commit one group of audit records',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  private readonly subgraphCalls = new Histogram({
    name: 'govgraph_subgraph_call_seconds',
    help: 'Calls to each subgraph, by outcome (ok, error, timeout)',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(sources: GatewayMetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'govgraph_' });
    new Gauge({
      name: 'govgraph_audit_queue_records',
      help: 'Audit records waiting to be committed',
      registers: [this.registry],
      collect() {
        this.set(sources.auditQueue().queued);
      },
    });
    new Gauge({
      name: 'govgraph_audit_failed_commits',
      help: 'Audit commits that failed (and were retried) since start',
      registers: [this.registry],
      collect() {
        this.set(sources.auditQueue().failedCommits);
      },
    });
    new Gauge({
      name: 'govgraph_audit_head',
      help: 'Sequence number of the newest committed audit record',
      registers: [this.registry],
      collect() {
        this.set(sources.auditQueue().head);
      },
    });
    new Gauge({
      name: 'govgraph_decision_cache',
      help: 'Decision cache lookups since start (hit, miss) and entries held (size)',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        const { hits, misses, size } = sources.decisionCache();
        this.set({ kind: 'hit' }, hits);
        this.set({ kind: 'miss' }, misses);
        this.set({ kind: 'size' }, size);
      },
    });
    new Gauge({
      name: 'govgraph_subgraph_connections',
      help: 'Connections open to each subgraph (open), and calls waiting for one (pending)',
      labelNames: ['subgraph', 'state'],
      registers: [this.registry],
      collect() {
        for (const pool of sources.subgraphPools()) {
          this.set({ subgraph: pool.name, state: 'open' }, pool.connected);
          this.set({ subgraph: pool.name, state: 'pending' }, pool.pending);
        }
      },
    });
  }

  /** A request to /graphql is over. */
  request(
    outcome: string,
    status: number,
    operation: string | null,
    seconds: number,
    decisions: ReadonlyMap<string, Decision> | undefined,
  ): void {
    this.requests.inc({ outcome, status: String(status), operation: this.operationLabel(operation) });
    this.duration.observe({ outcome }, seconds);
    if (decisions) for (const [labels, count] of this.tally(decisions)) this.decisions.inc(labels, count);
  }

  /** A plan's decisions counted by class, action and reason, once per plan: plans are cached per operation and caller class. */
  private tally(decisions: ReadonlyMap<string, Decision>): readonly [DecisionLabels, number][] {
    let tally = this.tallies.get(decisions);
    if (!tally) {
      const counts = new Map<string, [DecisionLabels, number]>();
      for (const { action, reason } of decisions.values()) {
        const key = `${action}/${reason}`;
        const counted = counts.get(key);
        if (counted) counted[1] += 1;
        else counts.set(key, [{ class: CLASS_OF_REASON[reason], action, reason }, 1]);
      }
      tally = [...counts.values()];
      this.tallies.set(decisions, tally);
    }
    return tally;
  }

  auditCommitted(seconds: number): void {
    this.commit.observe(seconds);
  }

  subgraphCall(subgraph: string, outcome: CallOutcome, seconds: number): void {
    this.subgraphCalls.observe({ subgraph, outcome }, seconds);
  }

  /** The route: GET /metrics. */
  route() {
    return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
      if (url.pathname !== '/metrics' || req.method !== 'GET') return false;
      this.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
          res.end(text);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('metrics could not be collected');
        },
      );
      return true;
    };
  }

  private operationLabel(operation: string | null): string {
    if (operation === null) return 'anonymous';
    if (this.operations.has(operation)) return operation;
    if (this.operations.size >= MAX_OPERATIONS) return 'other';
    this.operations.add(operation);
    return operation;
  }
}
