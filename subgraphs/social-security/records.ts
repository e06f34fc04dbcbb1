import { AREA_PREFIX } from '../../common/area-code';
import { BadUserInputError } from '../../common/errors';
import { groupByVillage, publishFigures, sumPublished } from '../../common/small-cells';
import { withinAreas } from './areas';
import { anyOf, type Sql } from './sql';

/**
 * The department's records as one caller may see them: every statement is
 * limited in SQL to the caller's areas, so rows outside them are never read.
 * Made per request, for the caller the gateway signed for.
 */
export const EMPLOYMENT_STATUSES = ['EMPLOYED', 'UNEMPLOYED_REGISTERED', 'RETIRED', 'FLEXIBLE'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

export interface EmploymentRecord {
  kind: 'Employment';
  id: string;
  residentId: string;
  areaCode: string;
  status: EmploymentStatus;
  employerName: string | null;
  since: string;
}

export interface PensionRecord {
  kind: 'PensionPayment';
  id: string;
  residentId: string;
  areaCode: string;
  month: string;
  scheme: 'URBAN_EMPLOYEE' | 'URBAN_RURAL_RESIDENT';
  amount: number;
  paidOn: string;
}

export interface SocialSecuritySummary {
  areaCode: string;
  total: number | null;
  withheldCells: number;
  byStatus: { status: EmploymentStatus; count: number | null }[];
}

const EMPLOYMENT = `SELECT 'Employment' AS kind, id, resident_id AS "residentId", area_code AS "areaCode", status,
  employer_name AS "employerName", since FROM employment`;
const PENSION = `SELECT 'PensionPayment' AS kind, id, resident_id AS "residentId", area_code AS "areaCode", month, scheme, amount,
  paid_on AS "paidOn" FROM pension_payment`;

export class Records {
  private readonly areas: { text: string; params: string[] };

  constructor(
    private readonly sql: Sql,
    areas: readonly string[],
    /** Social security's own staff see exact counts; others see them with small groups withheld. */
    private readonly isOwner: boolean,
  ) {
    this.areas = withinAreas('area_code', areas);
  }

  employmentsOf(residentIds: readonly string[]): Promise<EmploymentRecord[]> {
    return this.select<EmploymentRecord>(EMPLOYMENT, 'resident_id', residentIds, '');
  }

  employmentsById(ids: readonly string[]): Promise<EmploymentRecord[]> {
    return this.select<EmploymentRecord>(EMPLOYMENT, 'id', ids, '');
  }

  /** Newest month first. */
  pensionsOf(residentIds: readonly string[]): Promise<PensionRecord[]> {
    return this.select<PensionRecord>(PENSION, 'resident_id', residentIds, ' ORDER BY month DESC, scheme, id');
  }

  pensionsById(ids: readonly string[]): Promise<PensionRecord[]> {
    return this.select<PensionRecord>(PENSION, 'id', ids, '');
  }

  /** Employment records by status under `areaCode`, counted over the caller's areas only: no personal data. */
  async summarise(areaCode: string): Promise<SocialSecuritySummary> {
    if (!AREA_PREFIX.test(areaCode)) {
      throw new BadUserInputError('areaCode must be an area-code prefix of 2 to 12 digits', { argument: 'areaCode' });
    }
    const asked = withinAreas('area_code', [areaCode]);
    const rows = await this.sql.query<{ area: string; status: EmploymentStatus; n: number }>(
      `SELECT area_code AS area, status, COUNT(*) AS n FROM employment WHERE ${this.areas.text} AND ${asked.text} GROUP BY area_code, status`,
      [...this.areas.params, ...asked.params],
    );
    // Per village, the count of each status; the total is the sum of what is published.
    const villages = groupByVillage(rows).map((village) => ({
      counts: [EMPLOYMENT_STATUSES.map((status) => Number(village.find((row) => row.status === status)?.n ?? 0))],
    }));
    const published = publishFigures([EMPLOYMENT_STATUSES.length], villages, this.isOwner);
    const counts = published.counts[0]!;
    return {
      areaCode,
      total: sumPublished(counts),
      withheldCells: published.withheld,
      byStatus: EMPLOYMENT_STATUSES.map((status, i) => ({ status, count: counts[i] ?? null })),
    };
  }

  private select<T>(select: string, column: string, keys: readonly string[], order: string): Promise<T[]> {
    const keyed = anyOf(this.sql, column, keys);
    return this.sql.query(`${select} WHERE ${keyed.text} AND ${this.areas.text}${order}`, [
      ...keyed.params,
      ...this.areas.params,
    ]) as Promise<T[]>;
  }
}
