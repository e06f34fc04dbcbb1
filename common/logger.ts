import pino, { type Logger } from 'pino';

export type { Logger };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * One JSON line per event with the service name, so the supervisor (or any
 * log shipper) can merge several services into one stream. Callers log ids
 * and counts, never personal data: redaction below is a second line of defence.
 */
export function createLogger(service: string, level: LogLevel = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'variables', '*.variables'],
      censor: '[redacted]',
    },
  });
}
