import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, toPageArgs, toPrimedConnection } from '../../kit/connection-args';
import { loadOrNull } from '../../kit/batch-loader';
import { localDate } from '../../kit/local-date';
import { Benefit } from '../entities/benefit.entity';
import { Household } from '../entities/household.entity';
import { Resident } from '../entities/resident.entity';
import { RegisterResidentInput, ResidentFilter } from '../inputs/resident.inputs';
import type { CivilAffairsContext } from '../loaders/civil-affairs.loaders';
import { ResidentConnection } from '../types/connections';
import { Sharing } from '../../kit/sharing';

@Resolver(() => Resident)
export class ResidentResolver {
  @Query(() => Resident, { nullable: true, description: '按标识查询居民 · One resident by identifier' })
  @Sharing('UNCONDITIONAL')
  resident(@Arg('id', () => ID) id: string, @Ctx() ctx: CivilAffairsContext): Promise<Resident | null> {
    return loadOrNull(ctx.loaders.residentById, id);
  }

  @Query(() => ResidentConnection, { description: '居民列表 · Residents matching a filter, paged' })
  @Sharing('UNCONDITIONAL')
  async residents(
    @Ctx() ctx: CivilAffairsContext,
    @Arg('filter', () => ResidentFilter, { nullable: true, description: '查询条件 · Which residents' }) filter: ResidentFilter | undefined,
    @Args() page: ConnectionArgs,
  ): Promise<ResidentConnection> {
    return toPrimedConnection(ResidentConnection, await ctx.services.residents.search(filter, toPageArgs(page)), ctx.loaders.residentById);
  }

  @FieldResolver(() => Household, { nullable: true, description: '所在户 · The household the resident belongs to' })
  @Sharing('UNCONDITIONAL')
  household(@Root() resident: Resident, @Ctx() ctx: CivilAffairsContext): Promise<Household | null> | null {
    return resident.householdId ? loadOrNull(ctx.loaders.householdById, resident.householdId) : null;
  }

  @FieldResolver(() => [Benefit], { nullable: true, description: '社会救助 · Benefits granted to the resident, past and present' })
  @Sharing('CONDITIONAL')
  benefits(@Root() resident: Resident, @Ctx() ctx: CivilAffairsContext): Promise<Benefit[]> {
    return ctx.loaders.benefitsByResidentId.load(resident.id);
  }

  @Mutation(() => Resident, { description: '登记居民 · Register a resident; the ID number is checked (GB 11643)' })
  @Sharing('NONE', { roles: ['officer'] })
  registerResident(
    @Arg('input', { description: '输入 · The input' }) input: RegisterResidentInput,
    @Ctx() ctx: CivilAffairsContext,
  ): Promise<Resident> {
    return ctx.services.residents.register(input, localDate(new Date()));
  }
}
