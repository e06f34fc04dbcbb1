import { Field, Int, ObjectType } from 'type-graphql';
import { PetitionCategory, PetitionStatus } from '../entities/enums';
import { Sharing } from '../../kit/sharing';

@ObjectType({ description: '按状态计数 · Petitions in one status' })
@Sharing('UNCONDITIONAL')
export class PetitionStatusCount {
  @Field(() => PetitionStatus, { description: '办理状态 · Status' })
  status!: PetitionStatus;

  @Field(() => Int, { description: '件数 · Number of petitions' })
  count!: number;
}

@ObjectType({ description: '按分类计数 · Petitions of one category' })
@Sharing('UNCONDITIONAL')
export class PetitionCategoryCount {
  @Field(() => PetitionCategory, { description: '事项分类 · Category' })
  category!: PetitionCategory;

  @Field(() => Int, { description: '件数 · Number of petitions' })
  count!: number;
}

@ObjectType({ description: '信访统计 · Petition counts for an area; no personal data' })
@Sharing('UNCONDITIONAL')
export class PetitionStats {
  @Field({ description: '行政区划代码前缀 · Area-code prefix counted' })
  areaCode!: string;

  @Field(() => Int, { description: '总件数 · All petitions' })
  total!: number;

  @Field(() => Int, { description: '超期件数 · Petitions now overdue' })
  overdue!: number;

  @Field(() => [PetitionStatusCount], { description: '按状态 · By status, every status listed' })
  byStatus!: PetitionStatusCount[];

  @Field(() => [PetitionCategoryCount], { description: '按分类 · By category, every category listed' })
  byCategory!: PetitionCategoryCount[];
}
