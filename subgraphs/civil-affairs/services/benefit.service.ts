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
    /** Civil affairs' own staff see every figure; others do not see amounts of small groups. */
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
    const rows: { type: BenefitType; n: number | string; total: number | string | null }[] = await whereAreaStartsWith(
      query,
      'b.area_code',
      areaCode,
    )
      .select('b.type', 'type')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(b.monthly_amount)', 'total')
      .andWhere('b.status = :active', { active: BenefitStatus.ACTIVE })
      .groupBy('b.type')
      .getRawMany();
    const byType = Object.values(BenefitType).map((type) => {
      const row = rows.find((r) => r.type === type);
      return { type, activeCount: Number(row?.n ?? 0), monthlyTotal: roundYuan(Number(row?.total ?? 0)) };
    });
    const total = {
      activeCount: byType.reduce((sum, t) => sum + t.activeCount, 0),
      monthlyTotal: roundYuan(byType.reduce((sum, t) => sum + t.monthlyTotal, 0)),
    };
    if (this.isOwner) return { areaCode, ...total, byType };
    // A sum over one or a few recipients is their monthlyAmount, a field not shared (NONE): withheld
    // below MIN_GROUP; and the overall sum too whenever one is, or subtraction would give it back.
    const small = (count: number) => count > 0 && count < MIN_GROUP;
    const shown = byType.map((t) => ({ ...t, monthlyTotal: small(t.activeCount) ? null : t.monthlyTotal }));
    return {
      areaCode,
      activeCount: total.activeCount,
      monthlyTotal: shown.some((t) => t.monthlyTotal === null) || small(total.activeCount) ? null : total.monthlyTotal,
      byType: shown,
    };
  }
}

/** The smallest group whose benefit amounts other departments may see summed. */
export const MIN_GROUP = 5;

function roundYuan(amount: number): number {
  return Math.round(amount * 100) / 100;
}
