import { Matches, MaxLength, MinLength } from 'class-validator';
import { AREA_CODE, AREA_CODE_MESSAGE } from '../../../common/area-code';
import { References } from '../../kit/sharing';
import { NotBlank } from '../../kit/validation';
import { Field, ID, InputType } from 'type-graphql';
import { PetitionCategory, PetitionChannel, PetitionStatus, RiskLevel } from '../entities/enums';

@InputType({ description: '信访事项查询条件 · Which petitions to list' })
export class PetitionFilter {
  @Field(() => PetitionStatus, { nullable: true, description: '办理状态 · In this status' })
  status?: PetitionStatus | null;

  @Field(() => PetitionCategory, { nullable: true, description: '事项分类 · Of this category' })
  category?: PetitionCategory | null;

  @Field(() => String, { nullable: true, description: '行政区划代码前缀 · Area-code prefix' })
  areaCode?: string | null;

  @Field(() => Boolean, { nullable: true, description: '是否超期 · Only overdue (true) or only on time (false)' })
  overdue?: boolean | null;
}

@InputType({ description: '登记信访事项 · A petition to register' })
export class SubmitPetitionInput {
  @Field(() => ID, { description: '信访人 · The petitioner: a resident within your areas, checked with civil affairs' })
  @References('Resident')
  @MinLength(1)
  @MaxLength(36)
  petitionerId!: string;

  @Field(() => PetitionChannel, { description: '信访渠道 · How it arrived' })
  channel!: PetitionChannel;

  @Field(() => PetitionCategory, { description: '事项分类 · Subject area' })
  category!: PetitionCategory;

  @Field({ description: '标题 · Short subject line, at most 100 characters' })
  @NotBlank()
  @MaxLength(100)
  subject!: string;

  @Field({ description: '诉求内容 · What the petitioner asks for, at most 5000 characters' })
  @NotBlank()
  @MaxLength(5000)
  content!: string;

  @Field({ description: '行政区划代码 · 12-digit area code of the place concerned' })
  @Matches(AREA_CODE, { message: AREA_CODE_MESSAGE })
  areaCode!: string;

  @Field(() => RiskLevel, { nullable: true, defaultValue: RiskLevel.LOW, description: '风险等级 · Assessed risk' })
  riskLevel?: RiskLevel;
}
