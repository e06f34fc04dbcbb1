import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { formatPublicError, isPublicError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { isInvalidValue } from '../../common/database/database-errors';

/**
 * class-validator reports the rejected value next to each constraint; the
 * value may be personal data, so only the property path and the messages
 * reach the client.
 */
function describeViolations(errors: readonly ValidationError[], prefix = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...describeViolations(error.children ?? [], field)];
  });
}

export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as { originalError?: unknown }).originalError;
    if (original instanceof ArgumentValidationError) {
      const violations = describeViolations(original.extensions.validationErrors as ValidationError[]);
      const message = violations.map((v) => `${v.field}: ${v.messages.join('; ')}`).join(' | ');
      return { message: message || 'Invalid input', path: formatted.path, extensions: { code: 'BAD_USER_INPUT', violations } };
    }
    if (isInvalidValue(original)) {
      // Backstop: the database refused a value for its column (the input guard should have caught it first).
      return { message: 'A value is not valid for its field', path: formatted.path, extensions: { code: 'BAD_USER_INPUT' } };
    }
    if (!isPublicError(formatted)) {
      logger.error({ err: original ?? error, path: formatted.path }, 'internal error hidden from client');
    }
    return formatPublicError(formatted);
  };
}
