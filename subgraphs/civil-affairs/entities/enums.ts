import { defineEnum, type EnumValue } from '../../kit/enums';

export const Gender = defineEnum('Gender', '性别 · Gender as registered', {
  MALE: '男 · Male',
  FEMALE: '女 · Female',
});
export type Gender = EnumValue<typeof Gender>;

export const BenefitType = defineEnum('BenefitType', '救助类型 · Kind of social assistance', {
  MINIMUM_LIVING_ALLOWANCE: '最低生活保障（低保） · Minimum living allowance',
  EXTREME_POVERTY_SUPPORT: '特困人员供养 · Support for persons in extreme poverty',
  DISABILITY_ALLOWANCE: '残疾人两项补贴 · Disability allowance',
  ELDERLY_ALLOWANCE: '高龄津贴 · Allowance for the very old',
});
export type BenefitType = EnumValue<typeof BenefitType>;

export const BenefitStatus = defineEnum('BenefitStatus', '救助状态 · State of a benefit', {
  ACTIVE: '享受中 · Being paid',
  SUSPENDED: '暂停 · Payment suspended pending review',
  ENDED: '已终止 · No longer paid',
});
export type BenefitStatus = EnumValue<typeof BenefitStatus>;
