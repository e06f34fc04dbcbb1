import { Field, Int, ObjectType } from 'type-graphql';
import { PetitionCategory, PetitionStatus } from '../entities/enums';
import { Sharing } from '../../kit/sharing';

@ObjectType({ description: '按状态计数 · Petitions in one status' })
@Sharing('UNCONDITIONAL')
export class PetitionStatusCount {
  @Field(() => PetitionStatus, { description: '办理状态 · Status' })
  status!: PetitionStatus;

  @Field(() => Int, { nullable: true, description: '件数 · Number of petitions; null when withheld in every village' })
  count!: number | null;
}

@ObjectType({ description: '按分类计数 · Petitions of one category' })
@Sharing('UNCONDITIONAL')
export class PetitionCategoryCount {
  @Field(() => PetitionCategory, { description: '事项分类 · Category' })
  category!: PetitionCategory;

  @Field(() => Int, { nullable: true, description: '件数 · Number of petitions; null when withheld in every village' })
  count!: number | null;
}

@ObjectType({ description: '信访统计 · Petition counts for an area; no personal data' })
@Sharing('UNCONDITIONAL')
export class PetitionStats {
  @Field({ description: '行政区划代码前缀 · Area-code prefix counted' })
  areaCode!: string;

  @Field(() => Int, { nullable: true, description: '总件数 · All petitions; null when withheld in every village' })
  total!: number | null;

  @Field(() => Int, { nullable: true, description: '超期件数 · Petitions now overdue; null when withheld in every village' })
  overdue!: number | null;

  @Field(() => Int, {
    description: '未公开格数 · Village figures left out of these sums as too small to publish (0 for petitions staff)',
  })
  withheldCells!: number;

  @Field(() => [PetitionStatusCount], { description: '按状态 · By status, every status listed' })
  byStatus!: PetitionStatusCount[];

  @Field(() => [PetitionCategoryCount], { description: '按分类 · By category, every category listed' })
  byCategory!: PetitionCategoryCount[];
}
