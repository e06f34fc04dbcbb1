import { Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AREA_CODE, AREA_CODE_MESSAGE } from '../../../common/area-code';
import { DateScalar } from '../../kit/scalars';
import { Reveals } from '../../kit/sharing';
import { NotBlank } from '../../kit/validation';
import { MOBILE_PHONE } from '../domain/phone';
import { BenefitType, Gender } from '../entities/enums';

@InputType({ description: '居民查询条件 · Which residents to list' })
export class ResidentFilter {
  @Field(() => String, { nullable: true, description: '行政区划代码前缀 · Area-code prefix, e.g. 610921 for the county' })
  areaCode?: string | null;

  @Field(() => String, { nullable: true, description: '姓名（包含） · Part of the name' })
  @Reveals('Resident.name')
  @MaxLength(32)
  name?: string | null;

  @Field(() => BenefitType, { nullable: true, description: '享受中的救助类型 · Holds an active benefit of this type' })
  @Reveals('Resident.benefits', 'Benefit.type')
  benefitType?: BenefitType | null;
}

@InputType({ description: '居民登记 · A new resident to register' })
export class RegisterResidentInput {
  @Field({ description: '姓名 · Full name' })
  @NotBlank()
  @MaxLength(32)
  name!: string;

  @Field(() => Gender, { description: '性别 · Gender' })
  gender!: Gender;

  @Field(() => DateScalar, { description: '出生日期 · Date of birth' })
  birthDate!: string;

  @Field({ description: '公民身份号码 · National ID number; must agree with birthDate and gender' })
  idNumber!: string;

  @Field({ description: '手机号码 · 11-digit mobile number' })
  @Matches(MOBILE_PHONE, { message: 'phone must be an 11-digit mobile number starting 13-19' })
  phone!: string;

  @Field({ description: '行政区划代码 · 12-digit area code of the village or community' })
  @Matches(AREA_CODE, { message: AREA_CODE_MESSAGE })
  areaCode!: string;

  @Field({ description: '住址 · Residential address' })
  @NotBlank()
  @MaxLength(200)
  address!: string;

  @Field(() => ID, { nullable: true, description: '加入的户 · Household to join; a new household is created when absent' })
  householdId?: string | null;
}
