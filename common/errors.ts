import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The closed set of error codes a client can see (listed in the README). Anything else is
 * reported as INTERNAL with a generic message; the original goes to the log.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'PURPOSE_REQUIRED',
  'FORBIDDEN_FIELD',
  'FORBIDDEN_OPERATION',
  'BAD_USER_INPUT',
  'INVALID_TRANSITION',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'SUBGRAPH_UNAVAILABLE',
  'AUDIT_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const PUBLIC_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** Apollo Server's own codes for a malformed request: the client's fault, reported as such. */
const CLIENT_FAULT_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && PUBLIC_CODES.has(value);
}

export class GovgraphError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** Refuses a request at the door, before any GraphQL work: the HTTP layer answers with `status`. */
export class RequestRefusedError extends GovgraphError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(code, message, extensions);
  }
}

/** Refuses a request over its caller's or its address's rate: 429, with the seconds to wait (sent as Retry-After). */
export class RateLimitedError extends RequestRefusedError {
  readonly retryAfterSeconds: number;

  constructor(scope: 'caller' | 'address', waitSeconds: number) {
    const retryAfterSeconds = Math.max(1, Math.ceil(waitSeconds));
    super(429, 'RATE_LIMITED', `Too many requests from this ${scope}; retry after ${retryAfterSeconds} s`, {
      retryAfter: retryAfterSeconds,
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class UnauthenticatedError extends RequestRefusedError {
  constructor(message: string) {
    super(401, 'UNAUTHENTICATED', message);
  }
}

export class PurposeRequiredError extends RequestRefusedError {
  constructor(message: string) {
    super(400, 'PURPOSE_REQUIRED', message);
  }
}

export class BadUserInputError extends GovgraphError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, extensions);
  }
}

export class InvalidTransitionError extends GovgraphError {
  constructor(entity: string, from: string, action: string) {
    super('INVALID_TRANSITION', `${entity} in status ${from} cannot be ${action}`, {
      entity,
      from,
      action,
    });
  }
}

export class SubgraphUnavailableError extends GovgraphError {
  constructor(subgraph: string) {
    super('SUBGRAPH_UNAVAILABLE', `The ${subgraph} service is unavailable`, { subgraph });
  }
}

/**
 * graphql-js echoes submitted values in coercion errors ("got invalid value
 * \"11010519...\""). Those values may be personal data, so the value is cut;
 * the variable, the path and a reason that quotes nothing stay.
 */
export function scrubValues(message: string): string {
  const variable = /^(Variable "\$[^"]+") got invalid value .*?(?: at "([^"]+)")?; (.*)$/s.exec(message);
  if (variable) {
    const [, name, at, reason] = variable;
    const safeReason = reason && !/["':]/.test(reason) ? `: ${reason}` : '';
    return `${name} has an invalid value${at ? ` at "${at}"` : ''}${safeReason}`;
  }
  if (/^Variable "\$[^"]+" got invalid value/.test(message)) return message.replace(/ got invalid value .*$/s, ' has an invalid value');
  const literal = /^(Expected value of type "[^"]+"), found .*$/s.exec(message);
  if (literal) return `${literal[1]}, found an invalid literal`;
  // "String cannot represent a non string value: 6109...", 'Enum "Gender" cannot represent non-enum value: "x"'
  const represent = /^(.{1,60}? cannot represent [^:"]*?)(?::.*)?$/s.exec(message);
  if (represent) return represent[1]!.trim();
  const enumValue = /^Value .* does not exist in ("[^"]+" enum)\..*$/s.exec(message);
  if (enumValue) return `Value does not exist in ${enumValue[1]}`;
  return message;
}

/**
 * Shapes every error before it leaves a service: known codes keep their
 * message (with submitted values scrubbed), malformed requests become
 * BAD_USER_INPUT, everything else becomes INTERNAL. Never a stack trace,
 * SQL or a URL.
 */
export function formatPublicError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
  if (isErrorCode(code)) {
    return { ...formatted, message: scrubValues(formatted.message), extensions };
  }
  if (typeof code === 'string' && CLIENT_FAULT_CODES.has(code)) {
    return { ...formatted, message: scrubValues(formatted.message), extensions: { code: 'BAD_USER_INPUT' } };
  }
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL' },
  };
}

export function isPublicError(formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  return isErrorCode(code) || (typeof code === 'string' && CLIENT_FAULT_CODES.has(code));
}
