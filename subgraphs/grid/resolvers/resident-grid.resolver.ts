import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { loadOrNull } from '../../kit/batch-loader';
import { CareLevel } from '../entities/enums';
import { GridCell } from '../entities/grid-cell.entity';
import { GridWorker } from '../entities/grid-worker.entity';
import { Petition, Resident } from '../entities/references';
import { Visit } from '../entities/visit.entity';
import { RecordVisitInput } from '../inputs/grid.inputs';
import type { GridContext } from '../loaders/grid.loaders';
import { DateTimeScalar } from '../../kit/scalars';
import { Sharing } from '../../kit/sharing';

@Resolver(() => Resident)
export class ResidentGridResolver {
  @FieldResolver(() => GridCell, { nullable: true, description: '所在网格 · The basic cell the resident lives in' })
  @Sharing('UNCONDITIONAL')
  async gridCell(@Root() resident: Resident, @Ctx() ctx: GridContext): Promise<GridCell | null> {
    const registration = await loadOrNull(ctx.loaders.registrationByResidentId, resident.id);
    return registration ? loadOrNull(ctx.loaders.cellById, registration.cellId) : null;
  }

  @FieldResolver(() => CareLevel, { nullable: true, description: '关注等级 · How closely the grid worker follows the resident' })
  @Sharing('CONDITIONAL')
  async careLevel(@Root() resident: Resident, @Ctx() ctx: GridContext): Promise<CareLevel | null> {
    const registration = await loadOrNull(ctx.loaders.registrationByResidentId, resident.id);
    return registration?.careLevel ?? null;
  }

  @FieldResolver(() => [Visit], { nullable: true, description: '走访记录 · Home visits to the resident, newest first' })
  @Sharing('CONDITIONAL')
  visits(@Root() resident: Resident, @Ctx() ctx: GridContext): Promise<Visit[]> {
    return ctx.loaders.visitsByResidentId.load(resident.id);
  }
}

@Resolver(() => Visit)
export class VisitResolver {
  // GridEvent's fields, classified as on the interface: the other fields of a visit stay CONDITIONAL.
  @FieldResolver(() => DateTimeScalar, { description: '发生时间 · When it happened: the time of the visit (visitedAt)' })
  @Sharing('UNCONDITIONAL')
  at(@Root() visit: Visit): string {
    return visit.visitedAt;
  }

  @FieldResolver(() => GridCell, {
    nullable: true,
    description: '所在网格 · The basic cell of the resident visited, when the visit was recorded',
  })
  @Sharing('UNCONDITIONAL')
  cell(@Root() visit: Visit, @Ctx() ctx: GridContext): Promise<GridCell | null> | null {
    return visit.cellId ? loadOrNull(ctx.loaders.cellById, visit.cellId) : null;
  }

  @FieldResolver(() => Resident, { nullable: true, description: '被走访居民 · The resident visited' })
  resident(@Root() visit: Visit): Resident {
    return { id: visit.residentId };
  }

  @FieldResolver(() => GridWorker, { nullable: true, description: '走访网格员 · The worker who visited' })
  worker(@Root() visit: Visit, @Ctx() ctx: GridContext): Promise<GridWorker | null> {
    return loadOrNull(ctx.loaders.workerById, visit.workerId);
  }

  @Mutation(() => Visit, { description: '登记走访 · Record a home visit to a registered resident' })
  @Sharing('NONE', { roles: ['grid_worker', 'officer'] })
  recordVisit(@Arg('input', { description: '输入 · The input' }) input: RecordVisitInput, @Ctx() ctx: GridContext): Promise<Visit> {
    return ctx.services.visits.record(input);
  }
}

@Resolver(() => Petition)
export class PetitionGridResolver {
  @FieldResolver(() => GridCell, { nullable: true })
  gridCell(@Root() petition: Petition, @Ctx() ctx: GridContext): Promise<GridCell | null> {
    return loadOrNull(ctx.loaders.villageCellByAreaCode, petition.areaCode);
  }
}
