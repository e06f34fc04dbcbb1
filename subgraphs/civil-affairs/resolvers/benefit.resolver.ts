import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { loadOrNull } from '../../kit/batch-loader';
import { DateScalar } from '../../kit/scalars';
import { Benefit } from '../entities/benefit.entity';
import { Resident } from '../entities/resident.entity';
import { GrantBenefitInput } from '../inputs/benefit.inputs';
import type { CivilAffairsContext } from '../loaders/civil-affairs.loaders';
import { BenefitSummary } from '../types/benefit-summary.type';
import { Sharing } from '../../kit/sharing';

@Resolver(() => Benefit)
export class BenefitResolver {
  @FieldResolver(() => Resident, { nullable: true, description: '受助居民 · The recipient' })
  resident(@Root() benefit: Benefit, @Ctx() ctx: CivilAffairsContext): Promise<Resident | null> {
    return loadOrNull(ctx.loaders.residentById, benefit.residentId);
  }

  @Query(() => BenefitSummary, { description: '救助统计 · Active benefits by type for an area; no personal data' })
  @Sharing('UNCONDITIONAL')
  benefitSummary(
    @Arg('areaCode', { description: '行政区划代码前缀 · Area-code prefix' }) areaCode: string,
    @Ctx() ctx: CivilAffairsContext,
  ): Promise<BenefitSummary> {
    return ctx.services.benefits.summarise(areaCode);
  }

  @Mutation(() => Benefit, { description: '发放救助 · Grant a benefit to a resident' })
  @Sharing('NONE', { roles: ['officer'] })
  grantBenefit(
    @Arg('input', { description: '输入 · The input' }) input: GrantBenefitInput,
    @Ctx() ctx: CivilAffairsContext,
  ): Promise<Benefit> {
    return ctx.services.benefits.grant(input);
  }

  @Mutation(() => Benefit, { description: '终止救助 · End a benefit that is being paid or suspended' })
  @Sharing('NONE', { roles: ['officer'] })
  endBenefit(
    @Arg('id', () => ID, { description: '救助标识 · The benefit' }) id: string,
    @Arg('endDate', () => DateScalar, { description: '终止日期 · Last day paid' }) endDate: string,
    @Ctx() ctx: CivilAffairsContext,
  ): Promise<Benefit> {
    return ctx.services.benefits.end(id, endDate);
  }
}
