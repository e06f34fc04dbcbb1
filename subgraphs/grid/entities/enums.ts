import { registerEnumType } from 'type-graphql';

export enum CareLevel {
  NORMAL = 'NORMAL',
  ATTENTION = 'ATTENTION',
  CARE = 'CARE',
}

export enum IncidentCategory {
  DISPUTE = 'DISPUTE',
  SAFETY_HAZARD = 'SAFETY_HAZARD',
  SANITATION = 'SANITATION',
  INFRASTRUCTURE = 'INFRASTRUCTURE',
  PUBLIC_ORDER = 'PUBLIC_ORDER',
  LIVELIHOOD = 'LIVELIHOOD',
}

export enum IncidentStatus {
  REPORTED = 'REPORTED',
  DISPATCHED = 'DISPATCHED',
  RESOLVED = 'RESOLVED',
}

registerEnumType(CareLevel, {
  name: 'CareLevel',
  description: '关注等级 · How closely the grid worker follows the resident',
  valuesConfig: {
    NORMAL: { description: '一般 · Routine' },
    ATTENTION: { description: '关注 · Needs attention' },
    CARE: { description: '关心户 · Household needing regular care visits' },
  },
});

registerEnumType(IncidentCategory, {
  name: 'IncidentCategory',
  description: '事件类别 · Kind of incident reported from a grid cell',
  valuesConfig: {
    DISPUTE: { description: '矛盾纠纷 · Dispute between neighbours or families' },
    SAFETY_HAZARD: { description: '安全隐患 · Safety hazard' },
    SANITATION: { description: '环境卫生 · Sanitation' },
    INFRASTRUCTURE: { description: '基础设施 · Roads, water, power' },
    PUBLIC_ORDER: { description: '社会治安 · Public order' },
    LIVELIHOOD: { description: '民生诉求 · Livelihood request' },
  },
});

registerEnumType(IncidentStatus, {
  name: 'IncidentStatus',
  description: '事件状态 · REPORTED → DISPATCHED → RESOLVED',
  valuesConfig: {
    REPORTED: { description: '已上报 · Reported by a grid worker' },
    DISPATCHED: { description: '已派遣 · Dispatched to a department' },
    RESOLVED: { description: '已办结 · Resolved' },
  },
});
