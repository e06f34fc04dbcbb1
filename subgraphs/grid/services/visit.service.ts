import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { BadUserInputError } from '../../../common/errors';
import { GridWorker } from '../entities/grid-worker.entity';
import { ResidentRegistration } from '../entities/resident-registration.entity';
import { Visit } from '../entities/visit.entity';
import type { RecordVisitInput } from '../inputs/grid.inputs';
import { inTransaction } from '../../kit/transaction';

export class VisitService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date,
  ) {}

  findByResidentIds(residentIds: readonly string[]): Promise<Visit[]> {
    return this.dataSource
      .getRepository(Visit)
      .find({ where: { residentId: In([...residentIds]) }, order: { visitedAt: 'DESC', id: 'DESC' } });
  }

  async record(input: RecordVisitInput): Promise<Visit> {
    const now = this.clock().toISOString();
    const visitedAt = input.visitedAt ?? now;
    if (visitedAt > now) throw new BadUserInputError('visitedAt must not be in the future', { field: 'visitedAt' });
    return inTransaction(this.dataSource, async (tx) => {
      const registration = await tx.findOneBy(ResidentRegistration, { residentId: input.residentId });
      if (!registration) {
        throw new BadUserInputError('residentId does not name a resident registered in any grid cell', { field: 'residentId' });
      }
      if (!(await tx.existsBy(GridWorker, { id: input.workerId }))) {
        throw new BadUserInputError('workerId does not name a grid worker', { field: 'workerId' });
      }
      const visit = tx.create(Visit, {
        id: randomUUID(),
        residentId: input.residentId,
        workerId: input.workerId,
        visitedAt,
        notes: input.notes.trim(),
        followUpNeeded: input.followUpNeeded,
        areaCode: registration.areaCode,
      });
      await tx.insert(Visit, visit);
      return visit;
    });
  }
}
