import { Max, Min } from 'class-validator';
import { Field, Float, ID, InputType } from 'type-graphql';
import { DateScalar } from '../../kit/scalars';
import { BenefitType } from '../entities/enums';

@InputType({ description: '发放救助 · A benefit to grant' })
export class GrantBenefitInput {
  @Field(() => ID, { description: '受助居民 · The recipient' })
  residentId!: string;

  @Field(() => BenefitType, { description: '救助类型 · Kind of benefit' })
  type!: BenefitType;

  @Field(() => Float, { description: '月发放金额（元） · Monthly amount in yuan, more than 0 and at most 10000' })
  @Min(0.01, { message: 'monthlyAmount must be more than 0' })
  @Max(10_000, { message: 'monthlyAmount must be at most 10000 yuan' })
  monthlyAmount!: number;

  @Field(() => DateScalar, { description: '起始日期 · First day paid' })
  startDate!: string;
}
