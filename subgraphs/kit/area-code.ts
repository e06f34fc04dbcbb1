import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadUserInputError } from '../../common/errors';

/** Statistical area codes: province 2, city 2, county 2, township 3, village 3 digits. */
export const AREA_CODE = /^\d{12}$/;
export const AREA_CODE_MESSAGE = 'areaCode must be a 12-digit area code';
const AREA_PREFIX = /^\d{2,12}$/;

/** A filter prefix: 2 to 12 digits, e.g. 610921 for the whole county. */
export function checkAreaPrefix(value: string, argument = 'areaCode'): void {
  if (!AREA_PREFIX.test(value)) {
    throw new BadUserInputError(`${argument} must be an area-code prefix of 2 to 12 digits`, { argument });
  }
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
  return query.andWhere(`${column} LIKE :areaPrefix`, { areaPrefix: `${prefix}%` });
}
