import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Errors are logged by what they are, never by the data they carry: database
 * errors hold the statement's parameters and PostgreSQL's `detail` ("Key
 * (id_number)=(6109…) already exists"), which are personal data.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const source = error as Error & {
    code?: unknown;
    constraint?: unknown;
    table?: unknown;
    driverError?: { code?: unknown; constraint?: unknown; table?: unknown };
  };
  const driver = source.driverError;
  const pick = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? value : undefined);
  return {
    type: error.constructor.name,
    message: error.message,
    code: pick(source.code) ?? pick(driver?.code),
    constraint: pick(source.constraint) ?? pick(driver?.constraint),
    table: pick(source.table) ?? pick(driver?.table),
    stack: error.stack?.split('\n').slice(1, 6).join('\n'),
  };
}

/**
 * One JSON line per event with the service name, so the supervisor (or any
 * log shipper) can merge several services into one stream. Callers log ids
 * and counts, never personal data; redaction below is a second line of defence.
 */
export function createLogger(service: string, level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'variables', '*.variables', 'parameters', '*.parameters'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
