import { Matches, MaxLength } from 'class-validator';
import { NotBlank } from '../../kit/validation';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { loadOrNull } from '../../kit/batch-loader';
import { ConnectionArgs, toPageArgs, toPrimedConnection } from '../../kit/connection-args';
import { GridCell } from '../entities/grid-cell.entity';
import { GridWorker } from '../entities/grid-worker.entity';
import { Incident } from '../entities/incident.entity';
import { DEPARTMENT_CODE, DEPARTMENT_CODE_MESSAGE } from '../../../common/department-code';
import { IncidentFilter, ReportIncidentInput } from '../inputs/grid.inputs';
import type { GridContext } from '../loaders/grid.loaders';
import { IncidentConnection } from '../types/connections';
import { DateTimeScalar } from '../../kit/scalars';
import { Sharing } from '../../kit/sharing';

@ArgsType()
class DispatchArgs {
  @Field(() => ID, { description: '事件标识 · The incident' })
  id!: string;

  @Field({ description: '派遣单位 · Department code, e.g. housing' })
  @Matches(DEPARTMENT_CODE, { message: DEPARTMENT_CODE_MESSAGE })
  department!: string;
}

@ArgsType()
class ResolveArgs {
  @Field(() => ID, { description: '事件标识 · The incident' })
  id!: string;

  @Field({ description: '处理结果 · How it was resolved, at most 2000 characters' })
  @NotBlank()
  @MaxLength(2000)
  resolution!: string;
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Query(() => Incident, { nullable: true, description: '按标识查询事件 · One incident by identifier' })
  @Sharing('UNCONDITIONAL')
  incident(@Arg('id', () => ID) id: string, @Ctx() ctx: GridContext): Promise<Incident | null> {
    return loadOrNull(ctx.loaders.incidentById, id);
  }

  @Query(() => IncidentConnection, { description: '事件列表 · Incidents matching a filter, newest first, paged' })
  @Sharing('UNCONDITIONAL')
  async incidents(
    @Ctx() ctx: GridContext,
    @Arg('filter', () => IncidentFilter, { nullable: true, description: '查询条件 · Which incidents' }) filter: IncidentFilter | undefined,
    @Args() page: ConnectionArgs,
  ): Promise<IncidentConnection> {
    return toPrimedConnection(IncidentConnection, await ctx.services.incidents.search(filter, toPageArgs(page)), ctx.loaders.incidentById);
  }

  // GridEvent's fields, classified as on the interface.
  @FieldResolver(() => DateTimeScalar, { description: '发生时间 · When it happened: the time it was reported (reportedAt)' })
  @Sharing('UNCONDITIONAL')
  at(@Root() incident: Incident): string {
    return incident.reportedAt;
  }

  @FieldResolver(() => GridCell, { nullable: true, description: '所在网格 · The cell it was reported from' })
  @Sharing('UNCONDITIONAL')
  cell(@Root() incident: Incident, @Ctx() ctx: GridContext): Promise<GridCell | null> {
    return loadOrNull(ctx.loaders.cellById, incident.cellId);
  }

  @FieldResolver(() => GridWorker, { nullable: true, description: '上报网格员 · The worker who reported it' })
  reportedBy(@Root() incident: Incident, @Ctx() ctx: GridContext): Promise<GridWorker | null> {
    return loadOrNull(ctx.loaders.workerById, incident.reportedById);
  }

  @Mutation(() => Incident, { description: '上报事件 · Report an incident from a cell (status REPORTED)' })
  @Sharing('NONE', { roles: ['grid_worker', 'officer'] })
  reportIncident(
    @Arg('input', { description: '输入 · The input' }) input: ReportIncidentInput,
    @Ctx() ctx: GridContext,
  ): Promise<Incident> {
    return ctx.services.incidents.report(input);
  }

  @Mutation(() => Incident, { description: '派遣事件 · Dispatch a reported incident to a department' })
  @Sharing('NONE', { roles: ['officer'] })
  dispatchIncident(@Args() { id, department }: DispatchArgs, @Ctx() ctx: GridContext): Promise<Incident> {
    return ctx.services.incidents.advance(id, 'dispatched', () => ({ dispatchedTo: department }));
  }

  @Mutation(() => Incident, { description: '办结事件 · Resolve a dispatched incident' })
  @Sharing('NONE', { roles: ['grid_worker', 'officer'] })
  resolveIncident(@Args() { id, resolution }: ResolveArgs, @Ctx() ctx: GridContext): Promise<Incident> {
    return ctx.services.incidents.advance(id, 'resolved', (now) => ({ resolvedAt: now, resolution }));
  }
}
