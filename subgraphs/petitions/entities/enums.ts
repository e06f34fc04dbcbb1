import { registerEnumType } from 'type-graphql';

export enum PetitionChannel {
  VISIT = 'VISIT',
  LETTER = 'LETTER',
  ONLINE = 'ONLINE',
  HOTLINE = 'HOTLINE',
}

export enum PetitionCategory {
  LAND_AND_RESETTLEMENT = 'LAND_AND_RESETTLEMENT',
  LABOUR_AND_SOCIAL_SECURITY = 'LABOUR_AND_SOCIAL_SECURITY',
  URBAN_RURAL_CONSTRUCTION = 'URBAN_RURAL_CONSTRUCTION',
  SOCIAL_ASSISTANCE = 'SOCIAL_ASSISTANCE',
  HEALTH = 'HEALTH',
  EDUCATION = 'EDUCATION',
  ENVIRONMENT = 'ENVIRONMENT',
  LAW_AND_ORDER = 'LAW_AND_ORDER',
  OTHER = 'OTHER',
}

export enum PetitionStatus {
  RECEIVED = 'RECEIVED',
  ACCEPTED = 'ACCEPTED',
  NOT_ACCEPTED = 'NOT_ACCEPTED',
  ASSIGNED = 'ASSIGNED',
  RESPONDED = 'RESPONDED',
  CLOSED = 'CLOSED',
}

export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

export enum Satisfaction {
  SATISFIED = 'SATISFIED',
  BASICALLY_SATISFIED = 'BASICALLY_SATISFIED',
  DISSATISFIED = 'DISSATISFIED',
}

export enum PetitionAction {
  SUBMITTED = 'SUBMITTED',
  ACCEPTED = 'ACCEPTED',
  NOT_ACCEPTED = 'NOT_ACCEPTED',
  ASSIGNED = 'ASSIGNED',
  RESPONDED = 'RESPONDED',
  CLOSED = 'CLOSED',
}

registerEnumType(PetitionChannel, {
  name: 'PetitionChannel',
  description: '信访渠道 · How the petition arrived',
  valuesConfig: {
    VISIT: { description: '来访 · In person' },
    LETTER: { description: '来信 · By letter' },
    ONLINE: { description: '网上信访 · Online' },
    HOTLINE: { description: '热线电话 · By the hotline' },
  },
});

registerEnumType(PetitionCategory, {
  name: 'PetitionCategory',
  description: '信访事项分类 · Subject area of the petition',
  valuesConfig: {
    LAND_AND_RESETTLEMENT: { description: '征地拆迁 · Land requisition and resettlement' },
    LABOUR_AND_SOCIAL_SECURITY: { description: '劳动社保 · Wages, labour and social insurance' },
    URBAN_RURAL_CONSTRUCTION: { description: '城乡建设 · Housing and construction' },
    SOCIAL_ASSISTANCE: { description: '民政救助 · Social assistance' },
    HEALTH: { description: '卫生健康 · Health care' },
    EDUCATION: { description: '教育 · Education' },
    ENVIRONMENT: { description: '生态环境 · Environment' },
    LAW_AND_ORDER: { description: '政法 · Law and public order' },
    OTHER: { description: '其他 · Other' },
  },
});

registerEnumType(PetitionStatus, {
  name: 'PetitionStatus',
  description: '办理状态 · Where the petition stands (RECEIVED → ACCEPTED | NOT_ACCEPTED; ACCEPTED → ASSIGNED → RESPONDED → CLOSED)',
  valuesConfig: {
    RECEIVED: { description: '已登记 · Received, awaiting the acceptance decision (15 days)' },
    ACCEPTED: { description: '已受理 · Accepted; a response is due within 60 days' },
    NOT_ACCEPTED: { description: '不予受理 · Not accepted' },
    ASSIGNED: { description: '已交办 · Assigned to a department' },
    RESPONDED: { description: '已答复 · Answered' },
    CLOSED: { description: '已办结 · Closed' },
  },
});

registerEnumType(RiskLevel, {
  name: 'RiskLevel',
  description: '风险等级 · Assessed risk of escalation',
  valuesConfig: {
    LOW: { description: '低 · Low' },
    MEDIUM: { description: '中 · Medium' },
    HIGH: { description: '高 · High' },
  },
});

registerEnumType(Satisfaction, {
  name: 'Satisfaction',
  description: '满意度评价 · The petitioner’s rating of the answer',
  valuesConfig: {
    SATISFIED: { description: '满意 · Satisfied' },
    BASICALLY_SATISFIED: { description: '基本满意 · Mostly satisfied' },
    DISSATISFIED: { description: '不满意 · Dissatisfied' },
  },
});

registerEnumType(PetitionAction, {
  name: 'PetitionAction',
  description: '办理环节 · A step in handling a petition',
  valuesConfig: {
    SUBMITTED: { description: '登记 · Received and registered' },
    ACCEPTED: { description: '受理 · Accepted' },
    NOT_ACCEPTED: { description: '不予受理 · Not accepted' },
    ASSIGNED: { description: '交办 · Assigned to a department' },
    RESPONDED: { description: '答复 · Answered' },
    CLOSED: { description: '办结 · Closed' },
  },
});
