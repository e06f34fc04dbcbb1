import { registerEnumType } from 'type-graphql';

export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}

export enum BenefitType {
  MINIMUM_LIVING_ALLOWANCE = 'MINIMUM_LIVING_ALLOWANCE',
  EXTREME_POVERTY_SUPPORT = 'EXTREME_POVERTY_SUPPORT',
  DISABILITY_ALLOWANCE = 'DISABILITY_ALLOWANCE',
  ELDERLY_ALLOWANCE = 'ELDERLY_ALLOWANCE',
}

export enum BenefitStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  ENDED = 'ENDED',
}

registerEnumType(Gender, {
  name: 'Gender',
  description: '性别 · Gender as registered',
  valuesConfig: { MALE: { description: '男 · Male' }, FEMALE: { description: '女 · Female' } },
});

registerEnumType(BenefitType, {
  name: 'BenefitType',
  description: '救助类型 · Kind of social assistance',
  valuesConfig: {
    MINIMUM_LIVING_ALLOWANCE: { description: '最低生活保障（低保） · Minimum living allowance' },
    EXTREME_POVERTY_SUPPORT: { description: '特困人员供养 · Support for persons in extreme poverty' },
    DISABILITY_ALLOWANCE: { description: '残疾人两项补贴 · Disability allowance' },
    ELDERLY_ALLOWANCE: { description: '高龄津贴 · Allowance for the very old' },
  },
});

registerEnumType(BenefitStatus, {
  name: 'BenefitStatus',
  description: '救助状态 · State of a benefit',
  valuesConfig: {
    ACTIVE: { description: '享受中 · Being paid' },
    SUSPENDED: { description: '暂停 · Payment suspended pending review' },
    ENDED: { description: '已终止 · No longer paid' },
  },
});
