import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { BadUserInputError } from '../../../common/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../common/page-size';
import { loadOrNull } from '../../kit/batch-loader';
import { ConnectionArgs, toPageArgs, toPrimedConnection } from '../../kit/connection-args';
import { GridCell } from '../entities/grid-cell.entity';
import { GridWorker } from '../entities/grid-worker.entity';
import { Resident } from '../entities/references';
import { GridCellFilter } from '../inputs/grid.inputs';
import type { GridContext, GridEventRow } from '../loaders/grid.loaders';
import { GridCellConnection } from '../types/connections';
import { GridEvent } from '../types/grid-event.type';
import { Sharing } from '../../kit/sharing';

const TIMELINE_SIZE_DOC = `条数（1-${MAX_PAGE_SIZE}） · How many events, 1 to ${MAX_PAGE_SIZE}`;
/** A basic cell holds some 100-300 residents; a village thousands, which come by pages from residents(filter: { areaCode }). */
const MAX_CELL_RESIDENTS = 500;
const DEFAULT_CELL_RESIDENTS = 200;
const RESIDENTS_SIZE_DOC = `人数（1-${MAX_CELL_RESIDENTS}） · How many residents, 1 to ${MAX_CELL_RESIDENTS}; a village holds more: page through residents(filter: { areaCode }) for all of them`;

@Resolver(() => GridCell)
export class GridCellResolver {
  @Query(() => GridCell, { nullable: true, description: '按标识查询网格 · One grid cell by identifier' })
  @Sharing('UNCONDITIONAL')
  gridCell(@Arg('id', () => ID) id: string, @Ctx() ctx: GridContext): Promise<GridCell | null> {
    return loadOrNull(ctx.loaders.cellById, id);
  }

  @Query(() => GridCellConnection, { description: '网格列表 · Grid cells matching a filter, by code, paged' })
  @Sharing('UNCONDITIONAL')
  async gridCells(
    @Ctx() ctx: GridContext,
    @Arg('filter', () => GridCellFilter, { nullable: true, description: '查询条件 · Which cells' }) filter: GridCellFilter | undefined,
    @Args() page: ConnectionArgs,
  ): Promise<GridCellConnection> {
    return toPrimedConnection(GridCellConnection, await ctx.services.grid.searchCells(filter, toPageArgs(page)), ctx.loaders.cellById);
  }

  @FieldResolver(() => GridCell, { nullable: true, description: '上级网格 · The enclosing cell; none for a village' })
  parent(@Root() cell: GridCell, @Ctx() ctx: GridContext): Promise<GridCell | null> | null {
    return cell.parentId ? loadOrNull(ctx.loaders.cellById, cell.parentId) : null;
  }

  @FieldResolver(() => [GridCell], { description: '下级网格 · The cells one level below' })
  children(@Root() cell: GridCell, @Ctx() ctx: GridContext): Promise<GridCell[]> {
    return ctx.loaders.childrenByParentId.load(cell.id);
  }

  @FieldResolver(() => GridWorker, { nullable: true, description: '网格员 · The worker of a basic cell' })
  worker(@Root() cell: GridCell, @Ctx() ctx: GridContext): Promise<GridWorker | null> | null {
    return cell.workerId ? loadOrNull(ctx.loaders.workerById, cell.workerId) : null;
  }

  @FieldResolver(() => [Resident], {
    description: '网格内居民 · Residents registered in this cell or any cell below it, the first `first` by id',
  })
  async residents(
    @Root() cell: GridCell,
    @Ctx() ctx: GridContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_CELL_RESIDENTS, description: RESIDENTS_SIZE_DOC })
    first: number | null,
  ): Promise<Resident[]> {
    const size = first ?? DEFAULT_CELL_RESIDENTS;
    if (!Number.isInteger(size) || size < 1 || size > MAX_CELL_RESIDENTS) {
      throw new BadUserInputError(`first must be between 1 and ${MAX_CELL_RESIDENTS}`, { argument: 'first' });
    }
    const rows = await ctx.loaders.residentsUnderCellId(size).load(cell.id);
    return rows.map((row) => ({ id: row.residentId }));
  }

  @FieldResolver(() => [GridEvent], {
    description:
      '走访与事件 · The newest visits and incidents of this cell and, for a village or group, of every basic cell under it, newest first',
  })
  @Sharing('UNCONDITIONAL')
  async timeline(
    @Root() cell: GridCell,
    @Ctx() ctx: GridContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: TIMELINE_SIZE_DOC }) first: number | null,
  ): Promise<GridEventRow[]> {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
    }
    const events = await ctx.loaders.timelineByCellId(size).load(cell.id);
    return events.map((e) => e.event);
  }
}

@Resolver(() => GridWorker)
export class GridWorkerResolver {
  @Query(() => GridWorker, { nullable: true, description: '按标识查询网格员 · One grid worker by identifier' })
  @Sharing('UNCONDITIONAL')
  gridWorker(@Arg('id', () => ID) id: string, @Ctx() ctx: GridContext): Promise<GridWorker | null> {
    return loadOrNull(ctx.loaders.workerById, id);
  }

  @FieldResolver(() => [GridCell], { description: '负责网格 · The basic cells the worker is responsible for' })
  cells(@Root() worker: GridWorker, @Ctx() ctx: GridContext): Promise<GridCell[]> {
    return ctx.loaders.cellsByWorkerId.load(worker.id);
  }
}
