import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { loadOrNull } from '../../kit/batch-loader';
import { Household } from '../entities/household.entity';
import { Resident } from '../entities/resident.entity';
import type { CivilAffairsContext } from '../loaders/civil-affairs.loaders';
import { Sharing } from '../../kit/sharing';

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => Household, { nullable: true, description: '按标识查询户 · One household by identifier' })
  @Sharing('UNCONDITIONAL')
  household(@Arg('id', () => ID) id: string, @Ctx() ctx: CivilAffairsContext): Promise<Household | null> {
    return loadOrNull(ctx.loaders.householdById, id);
  }

  @FieldResolver(() => Resident, { nullable: true, description: '户主 · Head of household' })
  @Sharing('UNCONDITIONAL')
  head(@Root() household: Household, @Ctx() ctx: CivilAffairsContext): Promise<Resident | null> {
    return loadOrNull(ctx.loaders.residentById, household.headId);
  }

  @FieldResolver(() => [Resident], { nullable: true, description: '家庭成员 · Everyone registered in the household' })
  @Sharing('UNCONDITIONAL')
  members(@Root() household: Household, @Ctx() ctx: CivilAffairsContext): Promise<Resident[]> {
    return ctx.loaders.membersByHouseholdId.load(household.id);
  }
}
