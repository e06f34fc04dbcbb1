import { defineEnum, type EnumValue } from '../../kit/enums';

export const CareLevel = defineEnum('CareLevel', '关注等级 · How closely the grid worker follows the resident', {
  NORMAL: '一般 · Routine',
  ATTENTION: '关注 · Needs attention',
  CARE: '关心户 · Household needing regular care visits',
});
export type CareLevel = EnumValue<typeof CareLevel>;

export const IncidentCategory = defineEnum('IncidentCategory', '事件类别 · Kind of incident reported from a grid cell', {
  DISPUTE: '矛盾纠纷 · Dispute between neighbours or families',
  SAFETY_HAZARD: '安全隐患 · Safety hazard',
  SANITATION: '环境卫生 · Sanitation',
  INFRASTRUCTURE: '基础设施 · Roads, water, power',
  PUBLIC_ORDER: '社会治安 · Public order',
  LIVELIHOOD: '民生诉求 · Livelihood request',
});
export type IncidentCategory = EnumValue<typeof IncidentCategory>;

export const IncidentStatus = defineEnum('IncidentStatus', '事件状态 · REPORTED → DISPATCHED → RESOLVED', {
  REPORTED: '已上报 · Reported by a grid worker',
  DISPATCHED: '已派遣 · Dispatched to a department',
  RESOLVED: '已办结 · Resolved',
});
export type IncidentStatus = EnumValue<typeof IncidentStatus>;
