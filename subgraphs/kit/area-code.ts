import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AREA_PREFIX } from '../../common/area-code';
import { BadUserInputError } from '../../common/errors';

/** A filter prefix: 2 to 12 digits, e.g. 610921 for the whole county. */
export function checkAreaPrefix(value: string, argument = 'areaCode'): void {
  if (!AREA_PREFIX.test(value)) {
    throw new BadUserInputError(`${argument} must be an area-code prefix of 2 to 12 digits`, { argument });
  }
}

/**
 * The SQL condition "`column` starts with `prefix`" for digit-only codes,
 * written so an index on the column serves it: equality for a whole 12-digit
 * code, a half-open range otherwise. (`LIKE 'prefix%'` reads the same but
 * scans: SQLite's LIKE ignores case, and PostgreSQL's default collation keeps
 * it off a b-tree.) The upper bound is the prefix plus one, digits only, so
 * it orders the same under any collation.
 */
export function areaPrefixCondition(
  column: string,
  prefix: string,
  parameter: string,
): { sql: string; parameters: Record<string, string> } {
  if (!AREA_PREFIX.test(prefix)) throw new Error('area prefixes are 2 to 12 digits');
  if (prefix.length === 12) return { sql: `${column} = :${parameter}`, parameters: { [parameter]: prefix } };
  const next = nextPrefix(prefix);
  if (next === undefined) return { sql: `${column} >= :${parameter}`, parameters: { [parameter]: prefix } };
  return {
    sql: `(${column} >= :${parameter} AND ${column} < :${parameter}_end)`,
    parameters: { [parameter]: prefix, [`${parameter}_end`]: next },
  };
}

/** The least digit string of the same length above `prefix`, or undefined for all nines. */
function nextPrefix(prefix: string): string | undefined {
  if (/^9+$/.test(prefix)) return undefined;
  return (BigInt(prefix) + 1n).toString().padStart(prefix.length, '0');
}

/**
 * Limits a query to records whose area code starts with `prefix`, in SQL.
 * The one place area filters are built, so jurisdiction can join them here.
 */
export function whereAreaStartsWith<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  column: string,
  prefix: string | null | undefined,
): SelectQueryBuilder<T> {
  if (!prefix) return query;
  checkAreaPrefix(prefix);
  const condition = areaPrefixCondition(column, prefix, 'areaPrefix');
  return query.andWhere(condition.sql, condition.parameters);
}
