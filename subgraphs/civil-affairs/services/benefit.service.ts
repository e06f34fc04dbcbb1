import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { scopedQuery, type Jurisdiction } from '../../kit/jurisdiction';
import { BadUserInputError } from '../../../common/errors';
import { checkAreaPrefix, whereAreaStartsWith } from '../../kit/area-code';
import { applyTransition, type GuardedRecord } from '../../kit/guarded-transition';
import { BENEFIT_MACHINE, type BenefitAction } from '../domain/benefit.machine';
import { Benefit } from '../entities/benefit.entity';
import { BenefitStatus, BenefitType } from '../entities/enums';
import { Resident } from '../entities/resident.entity';
import type { GrantBenefitInput } from '../inputs/benefit.inputs';
import type { BenefitSummary } from '../types/benefit-summary.type';
import { isUniqueViolation } from '../../../common/database/database-errors';
import { inTransaction } from '../../../common/database/transaction';
import { groupByVillage, publishFigures, sumPublished } from '../../../common/small-cells';

const BENEFITS: GuardedRecord<Benefit, BenefitStatus, BenefitAction> = {
  entity: Benefit,
  name: 'Benefit',
  noun: 'a benefit',
  alias: 'b',
  machine: BENEFIT_MACHINE,
};

/** Benefits inside one caller's jurisdiction. */
export class BenefitService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jurisdiction: Jurisdiction,
    /** Civil affairs' own staff see exact figures; others see them with small groups withheld and money rounded. */
    private readonly isOwner: boolean,
  ) {}

  findByResidentIds(residentIds: readonly string[]): Promise<Benefit[]> {
    return scopedQuery(this.dataSource, Benefit, 'b', this.jurisdiction)
      .andWhere('b.resident_id IN (:...residentIds)', { residentIds })
      .orderBy('b.start_date', 'ASC')
      .addOrderBy('b.id', 'ASC')
      .getMany();
  }

  async grant(input: GrantBenefitInput): Promise<Benefit> {
    const alreadyHeld = () =>
      new BadUserInputError(`The resident already holds a ${input.type} benefit that has not ended`, { field: 'type' });
    return inTransaction(this.dataSource, async (tx) => {
      const resident = await scopedQuery(tx, Resident, 'r', this.jurisdiction).andWhere('r.id = :id', { id: input.residentId }).getOne();
      if (!resident) throw new BadUserInputError('residentId does not name a registered resident', { field: 'residentId' });
      const current = await tx.existsBy(Benefit, {
        residentId: input.residentId,
        type: input.type,
        status: In([BenefitStatus.ACTIVE, BenefitStatus.SUSPENDED]),
      });
      if (current) throw alreadyHeld();
      const benefit = tx.create(Benefit, {
        id: randomUUID(),
        residentId: resident.id,
        areaCode: resident.areaCode,
        type: input.type,
        status: BenefitStatus.ACTIVE,
        monthlyAmount: Math.round(input.monthlyAmount * 100) / 100,
        startDate: input.startDate,
        endDate: null,
      });
      await tx.insert(Benefit, benefit);
      return benefit;
    }).catch((error: unknown) => {
      // A concurrent grant got there first: the partial unique index decides.
      throw isUniqueViolation(error, 'idx_benefit_current', 'benefit.resident_id, benefit.type') ? alreadyHeld() : error;
    });
  }

  async end(id: string, endDate: string): Promise<Benefit> {
    return inTransaction(this.dataSource, (tx) =>
      applyTransition(tx, this.jurisdiction, BENEFITS, id, 'ended', (benefit) => {
        if (endDate < benefit.startDate) throw new BadUserInputError('endDate must not be before startDate', { field: 'endDate' });
        return { endDate };
      }),
    );
  }

  async summarise(areaCode: string): Promise<BenefitSummary> {
    checkAreaPrefix(areaCode);
    const query = scopedQuery(this.dataSource, Benefit, 'b', this.jurisdiction);
    const rows: { area: string; type: BenefitType; n: number | string; total: number | string | null }[] = await whereAreaStartsWith(
      query,
      'b.area_code',
      areaCode,
    )
      .select('b.area_code', 'area')
      .addSelect('b.type', 'type')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(b.monthly_amount)', 'total')
      .andWhere('b.status = :active', { active: BenefitStatus.ACTIVE })
      .groupBy('b.area_code')
      .addGroupBy('b.type')
      .getRawMany();
    const types = Object.values(BenefitType);
    // Per village, the count and money of each type; the totals are sums of what is published.
    const villages = groupByVillage(rows).map((village) => {
      const cells = types.map((type) => village.find((row) => row.type === type));
      return { counts: [cells.map((row) => Number(row?.n ?? 0))], amounts: [cells.map((row) => Number(row?.total ?? 0))] };
    });
    const published = publishFigures([types.length], villages, this.isOwner);
    const [counts, amounts] = [published.counts[0]!, published.amounts[0]!];
    return {
      areaCode,
      activeCount: sumPublished(counts),
      monthlyTotal: sumPublished(amounts),
      withheldCells: published.withheld,
      byType: types.map((type, i) => ({ type, activeCount: counts[i] ?? null, monthlyTotal: amounts[i] ?? null })),
    };
  }
}
