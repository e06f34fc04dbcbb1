import { Field, Float, Int, ObjectType } from 'type-graphql';
import { BenefitType } from '../entities/enums';
import { Sharing } from '../../kit/sharing';

@ObjectType({ description: '救助类型汇总 · Active benefits of one type' })
@Sharing('UNCONDITIONAL')
export class BenefitTypeSummary {
  @Field(() => BenefitType, { description: '救助类型 · Kind of benefit' })
  type!: BenefitType;

  @Field(() => Int, { nullable: true, description: '享受中人次 · Number of active benefits; null when withheld in every village' })
  activeCount!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '月发放总额（元） · Monthly total in yuan; for other departments rounded per village to 1,000 yuan',
  })
  monthlyTotal!: number | null;
}

@ObjectType({ description: '救助统计 · Aggregate benefit figures for an area; no personal data' })
@Sharing('UNCONDITIONAL')
export class BenefitSummary {
  @Field({ description: '行政区划代码前缀 · Area-code prefix summarised' })
  areaCode!: string;

  @Field(() => Int, { nullable: true, description: '享受中总人次 · Active benefits of all types; null when withheld in every village' })
  activeCount!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '月发放总额（元） · Monthly total of all types in yuan; for other departments rounded per village to 1,000 yuan',
  })
  monthlyTotal!: number | null;

  @Field(() => Int, {
    description: '未公开格数 · Village figures left out of these sums as too small to publish (0 for civil affairs staff)',
  })
  withheldCells!: number;

  @Field(() => [BenefitTypeSummary], { description: '分类型汇总 · Figures per type, every type listed' })
  byType!: BenefitTypeSummary[];
}
