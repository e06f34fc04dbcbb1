import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * Date and DateTime travel as strings end to end (the databases store them as
 * text). Unlike the stock scalars, a rejected value is never quoted back in
 * the error: a birth date is personal data.
 */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new GraphQLError('Date must be a calendar date written YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !DATE_TIME_PATTERN.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError('DateTime must be an ISO 8601 date-time with a time zone', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return new Date(value).toISOString();
}

function literal(ast: ValueNode, parse: (value: unknown) => string): string {
  return parse(ast.kind === Kind.STRING ? ast.value : undefined);
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: '日期 · A calendar date, YYYY-MM-DD',
  serialize: (value) => parseDate(value),
  parseValue: parseDate,
  parseLiteral: (ast) => literal(ast, parseDate),
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: '时间 · An instant, ISO 8601 in UTC, e.g. 2026-11-22T08:30:00.000Z',
  serialize: (value) => (value instanceof Date ? value.toISOString() : parseDateTime(value)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => literal(ast, parseDateTime),
});
