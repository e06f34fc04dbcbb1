import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { GovgraphError } from '../../common/errors';
import { areaPrefixCondition } from './area-code';

/** The area-code prefixes a caller may see records of (from the gateway's signed context). */
export interface Jurisdiction {
  readonly areas: readonly string[];
}

let parameterSerial = 0;

/**
 * Limits a query to records inside the jurisdiction, in SQL: rows outside
 * it are never loaded. An empty jurisdiction sees nothing.
 */
export function whereWithinJurisdiction<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  column: string,
  jurisdiction: Jurisdiction,
): SelectQueryBuilder<T> {
  if (jurisdiction.areas.length === 0) return query.andWhere('1 = 0');
  // Parameter names must not clash when one query is limited on several tables.
  const serial = (parameterSerial = (parameterSerial + 1) % 1_000_000);
  let parameters: Record<string, string> = {};
  const clauses = jurisdiction.areas.map((area, i) => {
    const condition = areaPrefixCondition(column, area, `jurisdiction${serial}_${i}`);
    parameters = { ...parameters, ...condition.parameters };
    return condition.sql;
  });
  return query.andWhere(`(${clauses.join(' OR ')})`, parameters);
}

export function isWithinJurisdiction(areaCode: string, jurisdiction: Jurisdiction): boolean {
  return jurisdiction.areas.some((area) => areaCode.startsWith(area));
}

export class ForbiddenOperationError extends GovgraphError {
  constructor(message: string) {
    super('FORBIDDEN_OPERATION', message);
  }
}

/** Writes are refused outside the caller's jurisdiction. */
export function checkWithinJurisdiction(areaCode: string, jurisdiction: Jurisdiction): void {
  if (!isWithinJurisdiction(areaCode, jurisdiction)) throw new ForbiddenOperationError('areaCode is outside your jurisdiction');
}

/** A query over `entity` (aliased `alias`, with an `area_code` column) already limited to the jurisdiction. */
export function scopedQuery<T extends ObjectLiteral>(
  manager: EntityManager | DataSource,
  entity: EntityTarget<T>,
  alias: string,
  jurisdiction: Jurisdiction,
): SelectQueryBuilder<T> {
  return whereWithinJurisdiction(manager.getRepository(entity).createQueryBuilder(alias), `${alias}.area_code`, jurisdiction);
}
