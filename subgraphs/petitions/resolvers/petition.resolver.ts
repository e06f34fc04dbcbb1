import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { loadOrNull } from '../../kit/batch-loader';
import { ConnectionArgs, toPageArgs, toPrimedConnection } from '../../kit/connection-args';
import { isOverdue } from '../domain/petition.machine';
import { Petition } from '../entities/petition.entity';
import { PetitionStep } from '../entities/petition-step.entity';
import { Resident } from '../entities/resident.reference';
import { PetitionFilter } from '../inputs/petition.inputs';
import type { PetitionsContext } from '../loaders/petitions.loaders';
import { PetitionConnection } from '../types/connections';
import { PetitionStats } from '../types/petition-stats.type';
import { Sharing } from '../../kit/sharing';

@Resolver(() => Petition)
export class PetitionResolver {
  @Query(() => Petition, { nullable: true, description: '按标识查询信访事项 · One petition by identifier' })
  @Sharing('UNCONDITIONAL')
  petition(@Arg('id', () => ID) id: string, @Ctx() ctx: PetitionsContext): Promise<Petition | null> {
    return loadOrNull(ctx.loaders.petitionById, id);
  }

  @Query(() => PetitionConnection, { description: '信访事项列表 · Petitions matching a filter, newest first, paged' })
  @Sharing('UNCONDITIONAL')
  async petitions(
    @Ctx() ctx: PetitionsContext,
    @Arg('filter', () => PetitionFilter, { nullable: true, description: '查询条件 · Which petitions' }) filter: PetitionFilter | undefined,
    @Args() page: ConnectionArgs,
  ): Promise<PetitionConnection> {
    return toPrimedConnection(PetitionConnection, await ctx.services.petitions.search(filter, toPageArgs(page)), ctx.loaders.petitionById);
  }

  @Query(() => PetitionStats, { description: '信访统计 · Petition counts by status and category for an area; no personal data' })
  @Sharing('UNCONDITIONAL')
  petitionStats(
    @Arg('areaCode', { description: '行政区划代码前缀 · Area-code prefix' }) areaCode: string,
    @Ctx() ctx: PetitionsContext,
  ): Promise<PetitionStats> {
    return ctx.services.petitions.stats(areaCode);
  }

  @FieldResolver(() => Resident, { nullable: true, description: '信访人 · The petitioner' })
  @Sharing('NONE')
  petitioner(@Root() petition: Petition): Resident {
    return { id: petition.petitionerId };
  }

  @FieldResolver(() => Boolean, {
    description: '是否超期 · Whether the current deadline (acceptance, or response once accepted) has passed',
  })
  @Sharing('UNCONDITIONAL')
  overdue(@Root() petition: Petition, @Ctx() ctx: PetitionsContext): boolean {
    return isOverdue(petition, ctx.services.petitions.now());
  }

  @FieldResolver(() => [PetitionStep], { nullable: true, description: '办理过程 · Every step taken, oldest first' })
  @Sharing('NONE')
  history(@Root() petition: Petition, @Ctx() ctx: PetitionsContext): Promise<PetitionStep[]> {
    return ctx.loaders.stepsByPetitionId.load(petition.id);
  }
}

@Resolver(() => Resident)
export class ResidentPetitionsResolver {
  @FieldResolver(() => [Petition], { nullable: true, description: '信访事项 · Petitions the resident has filed, newest first' })
  @Sharing('CONDITIONAL')
  petitions(@Root() resident: Resident, @Ctx() ctx: PetitionsContext): Promise<Petition[]> {
    return ctx.loaders.petitionsByPetitionerId.load(resident.id);
  }
}
