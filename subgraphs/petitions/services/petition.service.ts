import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { checkAreaPrefix, whereAreaStartsWith } from '../../kit/area-code';
import { fetchPage, newestFirst, type Page, type PageArgs } from '../../kit/connection';
import { applyTransition, type GuardedRecord } from '../../kit/guarded-transition';
import { ACCEPTANCE_DAYS, addDays, PETITION_MACHINE, type PetitionTransition } from '../domain/petition.machine';
import { PetitionAction, PetitionCategory, PetitionStatus, RiskLevel } from '../entities/enums';
import { Petition } from '../entities/petition.entity';
import { PetitionStep } from '../entities/petition-step.entity';
import type { PetitionFilter, SubmitPetitionInput } from '../inputs/petition.inputs';
import type { PetitionStats } from '../types/petition-stats.type';
import { isUniqueViolation } from '../../../common/database/database-errors';
import { localDate } from '../../kit/local-date';
import { checkWithinJurisdiction, scopedQuery, whereWithinJurisdiction, type Jurisdiction } from '../../kit/jurisdiction';
import { inTransaction } from '../../../common/database/transaction';
import { groupByVillage, publishFigures, sumPublished } from '../../../common/small-cells';

export type Clock = () => Date;

const STEP_OF: Record<PetitionTransition, PetitionAction> = {
  accepted: PetitionAction.ACCEPTED,
  rejected: PetitionAction.NOT_ACCEPTED,
  assigned: PetitionAction.ASSIGNED,
  responded: PetitionAction.RESPONDED,
  closed: PetitionAction.CLOSED,
};

const PETITIONS: GuardedRecord<Petition, PetitionStatus, PetitionTransition> = {
  entity: Petition,
  name: 'Petition',
  noun: 'a petition',
  alias: 'p',
  machine: PETITION_MACHINE,
};

/** The petitions bureau records intake, acceptance, assignment and closing. */
export const PETITIONS_BUREAU = 'petitions';

/** SQL form of `isOverdue` (domain/petition.machine.ts); the two must agree. */
const OVERDUE_SQL =
  "((p.status = 'RECEIVED' AND p.acceptance_due_at < :now) OR (p.status IN ('ACCEPTED', 'ASSIGNED') AND p.response_due_at < :now))";

export interface StepInput {
  department: string;
  note?: string | null;
}

export interface TransitionPlan {
  changes?: Partial<Petition>;
  step: StepInput;
}

/** Petitions inside one caller's jurisdiction. */
export class PetitionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jurisdiction: Jurisdiction,
    /** The petitions department's own staff see exact counts; others see them with small groups withheld. */
    private readonly isOwner: boolean,
    private readonly clock: Clock = () => new Date(),
  ) {}

  now(): string {
    return this.clock().toISOString();
  }

  findByIds(ids: readonly string[]): Promise<Petition[]> {
    return this.petitions().andWhere('p.id IN (:...ids)', { ids }).getMany();
  }

  findByPetitionerIds(petitionerIds: readonly string[]): Promise<Petition[]> {
    return this.petitions()
      .andWhere('p.petitioner_id IN (:...petitionerIds)', { petitionerIds })
      .orderBy('p.received_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .getMany();
  }

  /** Steps carry no area of their own: they are in scope when their petition is. */
  findStepsByPetitionIds(petitionIds: readonly string[]): Promise<PetitionStep[]> {
    const query = this.dataSource.getRepository(PetitionStep).createQueryBuilder('s').innerJoin(Petition, 'p', 'p.id = s.petition_id');
    return whereWithinJurisdiction(query, 'p.area_code', this.jurisdiction)
      .andWhere('s.petition_id IN (:...petitionIds)', { petitionIds })
      .orderBy('s.petition_id')
      .addOrderBy('s.seq', 'ASC')
      .getMany();
  }

  search(filter: PetitionFilter | null | undefined, page: PageArgs): Promise<Page<Petition>> {
    const query = this.filtered(filter);
    return fetchPage(query, newestFirst('p.received_at', 'p.id'), (row) => [row.receivedAt, row.id], page);
  }

  async stats(areaCode: string): Promise<PetitionStats> {
    checkAreaPrefix(areaCode);
    const rows: { area: string; status: PetitionStatus; category: PetitionCategory; n: number | string; late: number | string }[] =
      await this.filtered({ areaCode })
        .select('p.area_code', 'area')
        .addSelect('p.status', 'status')
        .addSelect('p.category', 'category')
        .addSelect('COUNT(*)', 'n')
        .addSelect(`SUM(CASE WHEN ${OVERDUE_SQL} THEN 1 ELSE 0 END)`, 'late')
        .setParameter('now', this.now())
        .groupBy('p.area_code')
        .addGroupBy('p.status')
        .addGroupBy('p.category')
        .getRawMany();
    const [statuses, categories] = [Object.values(PetitionStatus), Object.values(PetitionCategory)];
    // Per village, three partitions of the same petitions: by status, by category, overdue or not.
    const villages = groupByVillage(rows).map((mine) => {
      const count = (pick: (row: (typeof rows)[number]) => boolean) => mine.filter(pick).reduce((sum, row) => sum + Number(row.n), 0);
      const late = mine.reduce((sum, row) => sum + Number(row.late), 0);
      return {
        counts: [
          statuses.map((status) => count((row) => row.status === status)),
          categories.map((category) => count((row) => row.category === category)),
          [late, count(() => true) - late],
        ],
      };
    });
    const published = publishFigures([statuses.length, categories.length, 2], villages, this.isOwner);
    const [byStatus, byCategory, overdue] = published.counts as [(number | null)[], (number | null)[], (number | null)[]];
    return {
      areaCode,
      total: sumPublished(byStatus),
      overdue: overdue[0] ?? null,
      withheldCells: published.withheld,
      byStatus: statuses.map((status, i) => ({ status, count: byStatus[i] ?? null })),
      byCategory: categories.map((category, i) => ({ category, count: byCategory[i] ?? null })),
    };
  }

  async submit(input: SubmitPetitionInput, department: string): Promise<Petition> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.register(input, department);
      } catch (error) {
        // Concurrent submissions can draw the same next number of the day; the unique index decides and the other draws again.
        if (attempt >= 5 || !isUniqueViolation(error, 'idx_petition_tracking', 'petition.tracking_number')) throw error;
      }
    }
  }

  private register(input: SubmitPetitionInput, department: string): Promise<Petition> {
    checkWithinJurisdiction(input.areaCode, this.jurisdiction);
    const receivedAt = this.now();
    return inTransaction(this.dataSource, async (tx) => {
      const petition = tx.create(Petition, {
        id: randomUUID(),
        trackingNumber: await this.nextTrackingNumber(tx, receivedAt),
        petitionerId: input.petitionerId,
        channel: input.channel,
        category: input.category,
        subject: input.subject.trim(),
        content: input.content.trim(),
        areaCode: input.areaCode,
        status: PetitionStatus.RECEIVED,
        riskLevel: input.riskLevel ?? RiskLevel.LOW,
        assignedDepartment: null,
        receivedAt,
        acceptanceDueAt: addDays(receivedAt, ACCEPTANCE_DAYS),
        acceptedAt: null,
        responseDueAt: null,
        respondedAt: null,
        response: null,
        satisfaction: null,
      });
      await tx.insert(Petition, petition);
      await this.appendStep(tx, petition.id, 1, receivedAt, PetitionAction.SUBMITTED, { department });
      return petition;
    });
  }

  /**
   * Moves a petition along the state machine, applies the changes `plan`
   * returns and appends its step to the history, all in one transaction. The
   * update is conditional on the status read, so two concurrent transitions
   * cannot both succeed.
   */
  advance(id: string, transition: PetitionTransition, plan: (petition: Petition, now: string) => TransitionPlan): Promise<Petition> {
    return inTransaction(this.dataSource, async (tx) => {
      let planned: (TransitionPlan & { now: string }) | undefined;
      const petition = await applyTransition(tx, this.jurisdiction, PETITIONS, id, transition, (row) => {
        const now = this.now();
        planned = { ...plan(row, now), now };
        return planned.changes ?? {};
      });
      const { now, step } = planned!;
      const steps = await tx.countBy(PetitionStep, { petitionId: id });
      await this.appendStep(tx, id, steps + 1, now, STEP_OF[transition], step);
      return petition;
    });
  }

  private filtered(filter: PetitionFilter | null | undefined): SelectQueryBuilder<Petition> {
    const query = this.petitions();
    whereAreaStartsWith(query, 'p.area_code', filter?.areaCode);
    if (filter?.status) query.andWhere('p.status = :status', { status: filter.status });
    if (filter?.category) query.andWhere('p.category = :category', { category: filter.category });
    if (filter?.overdue === true) query.andWhere(OVERDUE_SQL, { now: this.now() });
    if (filter?.overdue === false) query.andWhere(`NOT ${OVERDUE_SQL}`, { now: this.now() });
    return query;
  }

  private petitions(): SelectQueryBuilder<Petition> {
    return scopedQuery(this.dataSource, Petition, 'p', this.jurisdiction);
  }

  private async nextTrackingNumber(tx: EntityManager, receivedAt: string): Promise<string> {
    const day = localDate(receivedAt).replace(/-/g, '');
    const last = await tx
      .getRepository(Petition)
      .createQueryBuilder('p')
      .select('MAX(p.tracking_number)', 'last')
      .where('p.tracking_number LIKE :day', { day: `XF${day}%` })
      .getRawOne<{ last: string | null }>();
    const seq = last?.last ? Number(last.last.slice(10)) + 1 : 1;
    return formatTrackingNumber(day, seq);
  }

  private async appendStep(
    tx: EntityManager,
    petitionId: string,
    seq: number,
    at: string,
    action: PetitionAction,
    step: StepInput,
  ): Promise<void> {
    await tx.insert(PetitionStep, { id: randomUUID(), petitionId, seq, at, action, department: step.department, note: step.note ?? null });
  }
}

/** XF + YYYYMMDD + 5-digit sequence of the day, e.g. XF2026112200017. */
export function formatTrackingNumber(day: string, seq: number): string {
  return `XF${day}${String(seq).padStart(5, '0')}`;
}
