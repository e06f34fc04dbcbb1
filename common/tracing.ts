/**
 * Traces over OTLP/HTTP (JSON), off unless an OTLP endpoint is configured.
 * Each service has its own tracer provider, created here and handed
 * explicitly to the door, the gates and the subgraph client; none is ever
 * registered as OpenTelemetry's global one. So several services in one
 * process (the tests) keep their own service names, nothing that merely
 * imports @opentelemetry/api starts reporting (@apollo/gateway's own spans
 * stay off: docs/operations.md#traces), and with tracing off nothing is
 * created at all: each call site is a branch on an undefined `Tracing`.
 *
 * Spans are explicit, a few per request: the door's SERVER span, one CLIENT
 * span per subgraph call carrying W3C `traceparent` on, and the subgraph's
 * SERVER span continuing it. Attributes are codes, ids and bounded names,
 * never a value a caller sent or received.
 */
import type { IncomingMessage } from 'node:http';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { settlesBy } from './deadline';
import { ConfigError, readEnum, readInteger, readOptional, readString, type Env } from './env';
import type { Logger } from './logger';
import { hideNumberRuns } from './number-runs';

/** The attributes govgraph's spans carry besides OpenTelemetry's HTTP ones; docs/operations.md lists them. */
export const SPAN_ATTRIBUTES = {
  /** GraphQL's semantic conventions (still "development" there, hence spelled out rather than imported). */
  operationName: 'graphql.operation.name',
  operationType: 'graphql.operation.type',
  /** The gateway's X-Request-Id, as in the audit record and the request log. */
  requestId: 'govgraph.request_id',
  /** The caller's department: never the caller's `sub`, let alone a resident's id. */
  callerDepartment: 'govgraph.caller.department',
  /** The department whose subgraph served the span. */
  department: 'govgraph.department',
  /** The subgraph a gateway call went to. */
  subgraph: 'govgraph.subgraph',
  /** ok, partial, refused or error (requests); ok, error or timeout (subgraph calls). */
  outcome: 'govgraph.outcome',
  /** The door's code for a refusal (UNAUTHENTICATED, RATE_LIMITED, …). */
  code: 'govgraph.code',
  /** The audit record's keyed hash of the operation, which names the document without showing it. */
  documentHash: 'govgraph.document_hash',
  /** The operation's estimated cost, as its budget counts it. */
  cost: 'govgraph.cost',
} as const;

export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

export interface TracingSettings {
  /** The collector's OTLP/HTTP traces URL (…/v1/traces). */
  endpoint: string;
  serviceName: string;
  sampler: SamplerName;
  /** The share of traces a `traceidratio` sampler keeps, 0 to 1. */
  ratio: number;
  /** How long finished spans wait to be sent in one batch, ms. */
  exportDelayMs: number;
}

/** A base URL's traces endpoint, as the OTLP exporter specification builds it: `/v1/traces` after its path. */
function tracesUnder(base: string): string {
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

function readUrl(env: Env, key: string): string | undefined {
  const raw = readOptional(env, key);
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) throw new ConfigError(`${key} must be an http:// or https:// URL, got "${raw}"`);
  return raw;
}

/**
 * Tracing's settings from OpenTelemetry's standard variables, or undefined
 * (off) when no OTLP endpoint is set or OTEL_SDK_DISABLED is true. Only the
 * services' config files call this; a bad value stops the service at start.
 */
export function readTracingSettings(env: Env, defaultServiceName: string): TracingSettings | undefined {
  if (readEnum(env, 'OTEL_SDK_DISABLED', ['true', 'false'] as const, 'false') === 'true') return undefined;
  const signal = readUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const endpoint = signal ?? (base === undefined ? undefined : tracesUnder(base));
  if (endpoint === undefined) return undefined;
  for (const key of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const protocol = readOptional(env, key);
    if (protocol !== undefined && protocol !== 'http/json') {
      throw new ConfigError(`${key} must be http/json (govgraph sends OTLP over HTTP as JSON), got "${protocol}"`);
    }
  }
  const sampler = readEnum(env, 'OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on');
  const rawRatio = readOptional(env, 'OTEL_TRACES_SAMPLER_ARG');
  const ratio = rawRatio === undefined ? 1 : Number(rawRatio);
  if (!/^[\d.]+$/.test(rawRatio ?? '1') || !(ratio >= 0 && ratio <= 1)) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, got "${rawRatio}"`);
  }
  return {
    endpoint,
    serviceName: readString(env, 'OTEL_SERVICE_NAME', defaultServiceName),
    sampler,
    ratio,
    exportDelayMs: readInteger(env, 'OTEL_BSP_SCHEDULE_DELAY', 5_000, 1, 600_000),
  };
}

function samplerOf({ sampler, ratio }: TracingSettings): Sampler {
  const name = sampler.replace(/^parentbased_/, '');
  const root =
    name === 'always_off' ? new AlwaysOffSampler() : name === 'traceidratio' ? new TraceIdRatioBasedSampler(ratio) : new AlwaysOnSampler();
  return sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/** An identifier, as GraphQL names are: anything else is no operation name. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * An operation name from a request body, as a bounded label: only a GraphQL
 * name, its runs of six or more digits replaced by `###` (a client could
 * name an operation after an ID number), at most 100 characters.
 */
export function operationNameIn(body: unknown): string | undefined {
  const name = (body as { operationName?: unknown } | null | undefined)?.operationName;
  if (typeof name !== 'string' || name.length > 1_000 || !GRAPHQL_NAME.test(name)) return undefined;
  return hideNumberRuns(name).slice(0, 100);
}

/** The outcome of a request from its status alone, for services that say nothing more. */
function outcomeOfStatus(status: number): string {
  return status >= 500 ? 'error' : status >= 400 ? 'refused' : 'ok';
}

/** One step of a request (an INTERNAL span), such as the gateway's governance of it. */
export class StepTrace {
  constructor(private readonly span: Span) {}

  end(outcome: 'ok' | 'refused' | 'error', attributes: Attributes = {}): void {
    this.span.setAttributes({ ...attributes, [SPAN_ATTRIBUTES.outcome]: outcome });
    if (outcome === 'error') this.span.setStatus({ code: SpanStatusCode.ERROR });
    this.span.end();
  }
}

/** One request to a service's API, traced as a SERVER span from the door. */
export class RequestTrace {
  private outcome: string | undefined;
  private ended = false;

  constructor(
    private readonly tracer: Tracer,
    private readonly span: Span,
    /** The request's span as a context: the parent of whatever the request does next. */
    readonly context: Context,
  ) {}

  /** A step of the request, as a child of its span. */
  startStep(name: string): StepTrace {
    return new StepTrace(this.tracer.startSpan(name, { kind: SpanKind.INTERNAL }, this.context));
  }

  /** False when the trace is not sampled: attributes would be dropped, so callers need not build them. */
  get recording(): boolean {
    return this.span.isRecording();
  }

  annotate(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  /** The operation's name, from what the door admitted; a gate that knows better may replace it. */
  noteOperationName(name: string | undefined): void {
    if (name !== undefined) this.span.setAttribute(SPAN_ATTRIBUTES.operationName, name);
  }

  /** How the service says the request ended; otherwise it is read from the status. */
  setOutcome(outcome: string): void {
    this.outcome = outcome;
  }

  /** Ends the span once, with the answer's status and the door's code for a refusal. */
  end(status: number, code: string | undefined): void {
    if (this.ended) return;
    this.ended = true;
    const outcome = this.outcome ?? outcomeOfStatus(status);
    this.span.setAttributes({ [ATTR_HTTP_RESPONSE_STATUS_CODE]: status, [SPAN_ATTRIBUTES.outcome]: outcome });
    if (code !== undefined) this.span.setAttribute(SPAN_ATTRIBUTES.code, code);
    if (status >= 500 || outcome === 'error') {
      this.span.setAttribute(ATTR_ERROR_TYPE, code ?? String(status));
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }
}

/** One call to a subgraph, traced as a CLIENT span; its headers carry the trace to the subgraph. */
export class CallTrace {
  constructor(
    private readonly span: Span,
    /** `traceparent` (and `tracestate`) for the call: outside the signed part, and trusted by no one for anything but tracing. */
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  end(outcome: 'ok' | 'error' | 'timeout', status?: number): void {
    this.span.setAttribute(SPAN_ATTRIBUTES.outcome, outcome);
    if (status !== undefined) this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (outcome !== 'ok') {
      this.span.setAttribute(ATTR_ERROR_TYPE, status === undefined ? outcome : String(status));
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }
}

/**
 * The exporter, saying in the service's log when exports start failing and
 * when they work again (once each, not once per batch): the SDK itself would
 * tell only OpenTelemetry's global diagnostic logger, which is not set.
 */
class LoggedExporter implements SpanExporter {
  private failing = false;

  constructor(
    private readonly inner: SpanExporter,
    private readonly logger: Logger,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      const failed = result.code !== ExportResultCode.SUCCESS;
      if (failed && !this.failing)
        this.logger.warn({ err: result.error, spans: spans.length }, 'could not export traces; spans are dropped');
      if (!failed && this.failing) this.logger.info('exporting traces again');
      this.failing = failed;
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** How long a service's stop waits at most for its last spans to be sent. */
const SHUTDOWN_MS = 5_000;

/** One service's tracer: its provider, batch processor and exporter, and the requests it is tracing. */
export class Tracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly requests = new WeakMap<IncomingMessage, RequestTrace>();

  constructor(
    settings: TracingSettings,
    logger: Logger,
    /** Attributes of every SERVER span of this service (a subgraph's department). */
    private readonly serverAttributes: Attributes = {},
  ) {
    const exporter = new LoggedExporter(new OTLPTraceExporter({ url: settings.endpoint }), logger);
    this.provider = new BasicTracerProvider({
      resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName })),
      sampler: samplerOf(settings),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: settings.exportDelayMs })],
    });
    this.tracer = this.provider.getTracer('govgraph');
  }

  /**
   * The door: a SERVER span for one request to the API. A `traceparent` the
   * caller sent is continued, as W3C Trace Context asks, whoever the caller
   * is: it decides the span's trace, parent and (parent-based) sampling, and
   * nothing else anywhere.
   */
  startRequest(req: IncomingMessage, path: string): RequestTrace {
    const parent = this.propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const method = req.method ?? 'GET';
    const span = this.tracer.startSpan(
      `${method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path, ...this.serverAttributes } },
      parent,
    );
    const traced = new RequestTrace(this.tracer, span, trace.setSpan(ROOT_CONTEXT, span));
    this.requests.set(req, traced);
    return traced;
  }

  /** The trace the door started for `req`, for its gate to add to. */
  requestOf(req: IncomingMessage): RequestTrace | undefined {
    return this.requests.get(req);
  }

  /** A CLIENT span for one call to `subgraph`, the child of `parent` (a request's context), with the headers that carry it on. */
  startCall(parent: Context | undefined, subgraph: string): CallTrace {
    const context = parent ?? ROOT_CONTEXT;
    const span = this.tracer.startSpan(
      `subgraph ${subgraph}`,
      { kind: SpanKind.CLIENT, attributes: { [ATTR_HTTP_REQUEST_METHOD]: 'POST', [SPAN_ATTRIBUTES.subgraph]: subgraph } },
      context,
    );
    const headers: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(context, span), headers, defaultTextMapSetter);
    return new CallTrace(span, headers);
  }

  /**
   * Sends the spans still waiting and stops, by `until` (as Date.now()) at
   * the latest: a collector that does not answer must not hold up a stop.
   */
  async shutdown(until: number = Date.now() + SHUTDOWN_MS): Promise<void> {
    await settlesBy(this.provider.shutdown(), Math.min(until, Date.now() + SHUTDOWN_MS));
  }
}

/** The service's tracing, or undefined when it is off: then nothing of OpenTelemetry's SDK is created. */
export function startTracing(settings: TracingSettings | undefined, logger: Logger, serverAttributes?: Attributes): Tracing | undefined {
  if (!settings) return undefined;
  const target = new URL(settings.endpoint);
  // The address without any credentials a URL might carry.
  logger.info(
    { traces: `${target.origin}${target.pathname}`, serviceName: settings.serviceName, sampler: settings.sampler },
    'tracing on: spans exported over OTLP',
  );
  return new Tracing(settings, logger, serverAttributes);
}
