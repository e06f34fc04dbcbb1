import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { scopedQuery } from '../../kit/jurisdiction';
import { actingWorker, type GridCaller } from './acting-worker';
import { BadUserInputError } from '../../../common/errors';
import { ResidentRegistration } from '../entities/resident-registration.entity';
import { Visit } from '../entities/visit.entity';
import type { RecordVisitInput } from '../inputs/grid.inputs';
import { inTransaction } from '../../../common/database/transaction';

export class VisitService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jurisdiction: GridCaller,
    private readonly clock: () => Date,
  ) {}

  findByIds(ids: readonly string[]): Promise<Visit[]> {
    return scopedQuery(this.dataSource, Visit, 'v', this.jurisdiction).andWhere('v.id IN (:...ids)', { ids }).getMany();
  }

  findByResidentIds(residentIds: readonly string[]): Promise<Visit[]> {
    return scopedQuery(this.dataSource, Visit, 'v', this.jurisdiction)
      .andWhere('v.resident_id IN (:...residentIds)', { residentIds })
      .orderBy('v.visited_at', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .getMany();
  }

  async record(input: RecordVisitInput): Promise<Visit> {
    const now = this.clock().toISOString();
    const visitedAt = input.visitedAt ?? now;
    if (visitedAt > now) throw new BadUserInputError('visitedAt must not be in the future', { field: 'visitedAt' });
    return inTransaction(this.dataSource, async (tx) => {
      const registration = await scopedQuery(tx, ResidentRegistration, 'r', this.jurisdiction)
        .andWhere('r.resident_id = :id', { id: input.residentId })
        .getOne();
      if (!registration) {
        throw new BadUserInputError('residentId does not name a resident registered in any grid cell', { field: 'residentId' });
      }
      const workerId = await actingWorker(tx, this.jurisdiction, input.workerId, 'workerId');
      const visit = tx.create(Visit, {
        id: randomUUID(),
        residentId: input.residentId,
        workerId,
        visitedAt,
        notes: input.notes.trim(),
        followUpNeeded: input.followUpNeeded,
        cellId: registration.cellId,
        areaCode: registration.areaCode,
      });
      await tx.insert(Visit, visit);
      return visit;
    });
  }
}
