/** Petition subjects and contents by category: plausible wording, no real people or cases. */
export const PETITION_TEXTS: Readonly<Record<string, readonly { subject: string; content: string }[]>> = {
  LAND_AND_RESETTLEMENT: [
    { subject: '反映征地补偿款发放不到位', content: '本人承包地于去年被征用修建道路，补偿款至今只发放了一部分，请求核实并尽快足额发放。' },
    {
      subject: '反映移民搬迁安置房分配问题',
      content: '我家属于避灾移民搬迁户，安置房分配时楼层和面积与公示不一致，请求重新核查分配结果。',
    },
  ],
  LABOUR_AND_SOCIAL_SECURITY: [
    { subject: '反映务工工资被拖欠', content: '本人在县内某工地务工三个月，工程完工后包工头拖欠工资，多次讨要未果，请求协调追回。' },
    { subject: '咨询养老保险缴费年限认定', content: '本人早年在乡镇企业工作，养老保险缴费年限认定有出入，请求社保部门核实历史缴费记录。' },
  ],
  URBAN_RURAL_CONSTRUCTION: [
    { subject: '反映小区排水管道堵塞', content: '小区雨季排水管道经常堵塞，污水漫进一楼住户，物业多次维修未解决，请求有关部门督促处理。' },
    { subject: '反映农村危房改造进度缓慢', content: '我家房屋被鉴定为危房，申请改造已一年多，至今未开工，请求了解审批进度。' },
  ],
  SOCIAL_ASSISTANCE: [
    { subject: '申请复核低保资格', content: '家中老人常年患病，收入微薄，低保资格在年审中被取消，请求重新入户核查家庭经济状况。' },
    { subject: '反映残疾人补贴未按时发放', content: '本人为肢体残疾，近两个月未收到残疾人两项补贴，请求查明原因。' },
  ],
  HEALTH: [
    { subject: '反映村卫生室服务时间不固定', content: '村卫生室经常无人值守，老人看病取药不便，请求安排固定服务时间。' },
    { subject: '咨询大病医疗报销比例', content: '家人住院治疗费用较高，报销比例与政策宣传不一致，请求医保部门解释核算依据。' },
  ],
  EDUCATION: [
    { subject: '反映子女入学就近安排问题', content: '孩子今年上小学，被安排到离家较远的学校，接送困难，请求按就近入学原则调整。' },
    { subject: '咨询困难学生资助政策', content: '家庭经济困难，孩子在读高中，请求了解助学金申请条件和办理流程。' },
  ],
  ENVIRONMENT: [
    { subject: '反映养殖场异味扰民', content: '村旁养殖场异味严重，夏季尤甚，影响周边群众生活，请求环保部门检查处理。' },
    { subject: '反映河道垃圾堆积', content: '村边河道长期堆积生活垃圾，雨季冲入下游，请求组织清理并设置垃圾收集点。' },
  ],
  LAW_AND_ORDER: [
    { subject: '反映邻里宅基地纠纷', content: '与邻居因宅基地边界发生纠纷，村级调解未果，请求镇司法所依法调处。' },
    { subject: '反映夜间道路照明不足存在安全隐患', content: '村道夜间无路灯，近期发生多起摔伤事件，请求增设照明设施。' },
  ],
  OTHER: [
    { subject: '建议增开城乡公交班次', content: '镇上到县城的公交班次太少，群众出行不便，建议早晚各增开一班。' },
    { subject: '咨询户籍迁移办理流程', content: '本人婚后需将户口迁入配偶所在地，请求告知所需材料和办理流程。' },
  ],
};

export const PETITION_RESPONSES: readonly string[] = [
  '经核查，所反映情况属实，已责成相关单位限期整改，并将办理结果告知信访人。',
  '经调查核实，相关款项已按政策足额发放，已向信访人解释说明。',
  '已组织相关部门现场调处，双方达成一致意见，问题已解决。',
  '所反映问题已纳入年度工作计划，将按计划推进，并及时告知进展。',
];

export const HANDLING_DEPARTMENTS: readonly string[] = [
  'civil-affairs',
  'human-resources',
  'housing',
  'natural-resources',
  'health',
  'education',
  'ecology',
  'justice',
  'transport',
  'township',
];

export const VISIT_NOTES: readonly string[] = [
  '入户走访，老人身体状况稳定，生活用品充足。',
  '了解家庭近况，反映冬季取暖有困难，已登记需求。',
  '协助办理医保报销材料，告知办理流程。',
  '独居老人，叮嘱注意用电用火安全，留下联系电话。',
  '家中有残疾人，了解康复需求并转介乡镇卫生院。',
  '核实低保家庭收入变化情况，家庭状况无明显变化。',
  '宣传防诈骗知识，发放宣传资料。',
];

export const INCIDENT_TEXTS: Readonly<Record<string, readonly string[]>> = {
  DISPUTE: ['两户村民因排水沟走向发生争执，需协调处理。', '邻里因噪音问题发生口角，双方情绪激动。'],
  SAFETY_HAZARD: ['村道旁边坡出现裂缝，雨季存在滑坡隐患。', '老旧房屋电线裸露老化，存在火灾隐患。'],
  SANITATION: ['垃圾收集点满溢未及时清运。', '河沟内有人倾倒建筑垃圾。'],
  INFRASTRUCTURE: ['组道路面破损严重，车辆通行困难。', '自来水管道破裂，多户停水。'],
  PUBLIC_ORDER: ['有陌生人员上门推销保健品，疑似诈骗。', '夜间有车辆在村口长时间停放，群众反映可疑。'],
  LIVELIHOOD: ['困难群众反映冬季取暖用煤短缺。', '群众反映手机信号差，影响日常通讯。'],
};

export const INCIDENT_RESOLUTIONS: readonly string[] = [
  '已协调相关单位现场处置，隐患已排除。',
  '经调解双方达成一致，纠纷已化解。',
  '已安排人员清理完毕，并加强日常巡查。',
  '已修复完成，恢复正常使用。',
];

/** Employers in and around the county: invented, with no real company behind any of them. */
export const EMPLOYERS: readonly string[] = [
  '汉阴县人民医院',
  '汉阴县城关第一小学',
  '汉阴县中医医院',
  '汉阴县自来水公司',
  '汉阴县供销合作社',
  '汉阴县涧池镇卫生院',
  '安康市富硒茶业有限公司',
  '汉阴县月河建材有限公司',
  '汉阴县凤凰山农业发展有限公司',
  '汉阴县蒲溪物流有限公司',
  '安康市汉江建筑工程有限公司',
  '汉阴县双乳纺织有限公司',
  '汉阴县平梁食品加工厂',
  '汉阴县城关商贸有限公司',
  '西安市雁塔区某电子科技有限公司',
  '汉阴县铁佛寺镇中心学校',
];
