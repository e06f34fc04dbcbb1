import { defineEnum, type EnumValue } from '../../kit/enums';

export const PetitionChannel = defineEnum('PetitionChannel', '信访渠道 · How the petition arrived', {
  VISIT: '来访 · In person',
  LETTER: '来信 · By letter',
  ONLINE: '网上信访 · Online',
  HOTLINE: '热线电话 · By the hotline',
});
export type PetitionChannel = EnumValue<typeof PetitionChannel>;

export const PetitionCategory = defineEnum('PetitionCategory', '信访事项分类 · Subject area of the petition', {
  LAND_AND_RESETTLEMENT: '征地拆迁 · Land requisition and resettlement',
  LABOUR_AND_SOCIAL_SECURITY: '劳动社保 · Wages, labour and social insurance',
  URBAN_RURAL_CONSTRUCTION: '城乡建设 · Housing and construction',
  SOCIAL_ASSISTANCE: '民政救助 · Social assistance',
  HEALTH: '卫生健康 · Health care',
  EDUCATION: '教育 · Education',
  ENVIRONMENT: '生态环境 · Environment',
  LAW_AND_ORDER: '政法 · Law and public order',
  OTHER: '其他 · Other',
});
export type PetitionCategory = EnumValue<typeof PetitionCategory>;

export const PetitionStatus = defineEnum(
  'PetitionStatus',
  '办理状态 · Where the petition stands (RECEIVED → ACCEPTED | NOT_ACCEPTED; ACCEPTED → ASSIGNED → RESPONDED → CLOSED)',
  {
    RECEIVED: '已登记 · Received, awaiting the acceptance decision (15 days)',
    ACCEPTED: '已受理 · Accepted; a response is due within 60 days',
    NOT_ACCEPTED: '不予受理 · Not accepted',
    ASSIGNED: '已交办 · Assigned to a department',
    RESPONDED: '已答复 · Answered',
    CLOSED: '已办结 · Closed',
  },
);
export type PetitionStatus = EnumValue<typeof PetitionStatus>;

export const RiskLevel = defineEnum('RiskLevel', '风险等级 · Assessed risk of escalation', {
  LOW: '低 · Low',
  MEDIUM: '中 · Medium',
  HIGH: '高 · High',
});
export type RiskLevel = EnumValue<typeof RiskLevel>;

export const Satisfaction = defineEnum('Satisfaction', '满意度评价 · The petitioner’s rating of the answer', {
  SATISFIED: '满意 · Satisfied',
  BASICALLY_SATISFIED: '基本满意 · Mostly satisfied',
  DISSATISFIED: '不满意 · Dissatisfied',
});
export type Satisfaction = EnumValue<typeof Satisfaction>;

export const PetitionAction = defineEnum('PetitionAction', '办理环节 · A step in handling a petition', {
  SUBMITTED: '登记 · Received and registered',
  ACCEPTED: '受理 · Accepted',
  NOT_ACCEPTED: '不予受理 · Not accepted',
  ASSIGNED: '交办 · Assigned to a department',
  RESPONDED: '答复 · Answered',
  CLOSED: '办结 · Closed',
});
export type PetitionAction = EnumValue<typeof PetitionAction>;
