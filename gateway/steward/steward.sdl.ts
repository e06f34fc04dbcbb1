import { SHARING_DIRECTIVE_DEFINITION, SHARING_LINK } from '../../common/sharing-directive';

const STEWARD = '@sharing(level: "NONE", roles: ["steward"])';

/**
 * The steward API's schema: a subgraph the gateway serves itself, over the
 * audit trail and the grants (docs/audit-trail.md describes it). Composed into the supergraph and governed like every other
 * field: only callers with the steward role may read it, and every read is
 * itself audited.
 */
export const STEWARD_SDL = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable", "@composeDirective"])
  @link(url: "${SHARING_LINK}", import: ["@sharing"])
  @composeDirective(name: "@sharing")

${SHARING_DIRECTIVE_DEFINITION}

type Query {
  """审计记录 · Audit records matching a filter, newest first, paged"""
  auditEvents(
    """查询条件 · Which records"""
    filter: AuditFilter
    """每页条数（≤100） · Page size, at most 100"""
    first: Int = 20
    """从此游标之后 · Continue after this cursor (endCursor of the previous page)"""
    after: String
  ): AuditEventConnection! ${STEWARD}

  """访问历史 · Who saw a data subject's non-public fields: when, which fields, for what purpose (newest first, at most 500)"""
  accessHistory(
    """主体类型 · Type of the data subject, e.g. Resident"""
    subjectType: String!
    """主体标识 · Identifier of the data subject"""
    subjectId: ID!
  ): [AuditEvent!]! ${STEWARD}

  """共享目录 · Every field of the graph with its owner, sharing attribute and default masker"""
  sharingCatalog: [CatalogEntry!]! ${STEWARD}

  """共享授权 · Every grant, in force or not"""
  grants: [GrantInfo!]! ${STEWARD}

  """共享申请 · Sharing requests the caller's department filed or provides for (the data authority: all), newest first"""
  sharingRequests(
    """查询条件 · Which requests"""
    filter: SharingRequestFilter
    """每页条数（≤100） · Page size, at most 100"""
    first: Int = 20
    """从此游标之后 · Continue after this cursor (endCursor of the previous page)"""
    after: String
  ): SharingRequestConnection! ${STEWARD}

  """审计链状态 · The trail's newest record, its anchor outside the database, and the last verification"""
  auditChainStatus: AuditChainStatus! ${STEWARD}

  """共享申请详情 · One sharing request with its history, if the caller's department may see it"""
  sharingRequest(
    """申请编号 · Request id"""
    id: ID!
  ): SharingRequest ${STEWARD}
}

"""审计查询条件 · Which audit records to list"""
input AuditFilter {
  """起始时间 · At or after this instant (ISO 8601)"""
  from: String
  """截止时间 · Before this instant (ISO 8601)"""
  to: String
  """调用者 · Caller's subject (sub)"""
  sub: String
  """部门 · Caller's department"""
  department: String
  """用途 · Declared purpose"""
  purpose: String
  """字段 · A field coordinate decided in the request, e.g. Resident.idNumber"""
  coordinate: String
  """决定 · allow, mask or deny (of that coordinate, if given)"""
  decision: String
  """结果 · ok, partial, refused or error"""
  outcome: String
  """来源地址 · The client's network address"""
  address: String
  """请求标识 · The gateway's request id, or the client's own X-Request-Id"""
  requestId: String
}

"""审计记录分页 · A page of audit records"""
type AuditEventConnection ${STEWARD} {
  """本页记录 · The records of this page"""
  nodes: [AuditEvent!]!
  """本页的边 · The records of this page with their cursors"""
  edges: [AuditEventEdge!]!
  """分页信息 · Page information"""
  pageInfo: PageInfo!
  """符合条件的总数 · Number of records matching the filter"""
  totalCount: Int!
}

"""审计记录边 · An audit record with its cursor"""
type AuditEventEdge ${STEWARD} {
  """游标 · Opaque cursor of this edge"""
  cursor: String!
  """审计记录 · The record"""
  node: AuditEvent!
}

"""分页信息 · Where this page ends and whether more follow"""
type PageInfo @shareable {
  """是否有下一页 · Whether another page follows this one"""
  hasNextPage: Boolean! @sharing(level: "UNCONDITIONAL")
  """末尾游标 · Cursor of the last edge; pass as \`after\`"""
  endCursor: String @sharing(level: "UNCONDITIONAL")
}

"""审计记录 · What happened to one request: never a token, a raw variable or a raw value"""
type AuditEvent ${STEWARD} {
  """序号 · Gapless sequence number"""
  seq: Int!
  """时间 · When the request arrived"""
  at: String!
  """请求标识 · Request id"""
  requestId: String!
  """调用者 · Caller's subject, if authenticated"""
  sub: String
  """部门 · Caller's department"""
  department: String
  """角色 · Caller's roles"""
  roles: [String!]!
  """用途 · Declared purpose"""
  purpose: String
  """客户端 · Client name, as the client called itself (escaped)"""
  clientName: String
  """客户端版本 · Client version (escaped)"""
  clientVersion: String
  """操作类型 · query or mutation"""
  operationType: String
  """操作名 · Operation name"""
  operationName: String
  """文档摘要 · Keyed hash of the operation without its literal values"""
  documentHash: String
  """字段决定 · The decision for each field coordinate, and the grant used"""
  decisions: [FieldDecision!]!
  """数据主体 · Whose non-public fields were returned"""
  subjects: [DataSubject!]!
  """结果 · ok, partial, refused or error"""
  outcome: String!
  """状态码 · HTTP status"""
  status: Int!
  """耗时（毫秒） · Duration in milliseconds; for a summary, how long its window lasted"""
  durationMs: Int!
  """客户端请求标识 · The X-Request-Id the client sent (bounded, escaped)"""
  clientRequestId: String
  """来源地址 · The client's network address (behind a trusted proxy, the address it forwarded for)"""
  address: String
  """汇总条数 · On a summary record only: how many requests, ending alike, it stands for"""
  requestCount: Int
  """共享办理步骤 · Steps of the sharing workflow the request took"""
  steps: [AuditSharingStep!]!
  """链哈希 · This record's hash in the tamper-evident chain"""
  hash: String!
}

"""审计链状态 · Where the tamper-evident trail stands"""
type AuditChainStatus ${STEWARD} {
  """链头 · The newest record"""
  head: ChainHead!
  """锚点 · The head as last anchored outside the database, if anchored"""
  anchor: ChainAnchor
  """最近校验 · The last run of npm run audit:verify, if any"""
  lastVerification: ChainVerification
}

"""链头 · A record of the chain"""
type ChainHead ${STEWARD} {
  """序号 · Sequence number (0: the trail is empty)"""
  seq: Int!
  """哈希 · Its hash"""
  hash: String!
  """时间 · When its request arrived"""
  at: String
}

"""锚点 · The chain head written outside the database"""
type ChainAnchor ${STEWARD} {
  """序号 · The anchored record"""
  seq: Int!
  """哈希 · Its hash"""
  hash: String!
  """写入时间 · When the anchor was written"""
  writtenAt: String!
  """滞后（秒） · Seconds since it was written"""
  ageSeconds: Int!
}

"""校验结果 · The outcome of an audit:verify run"""
type ChainVerification ${STEWARD} {
  """时间 · When it ran"""
  at: String!
  """是否完好 · Whether every record was intact and the sharing history agreed"""
  intact: Boolean!
  """记录数 · Records verified"""
  records: Int!
  """说明 · What was found, if not intact"""
  detail: String
}

"""审计中的办理步骤 · A step of the sharing workflow as its audit record names it"""
type AuditSharingStep ${STEWARD} {
  """动作 · REQUEST, FORWARD, RETURN, APPROVE, REFUSE, ESCALATE, COORDINATE, REVOKE or EXPIRE"""
  action: String!
  """申请编号 · The sharing request"""
  request: String!
  """提供部门 · The part it concerns"""
  provider: String
  """授权编号 · The grant it made or ended"""
  grant: String
  """理由摘要 · SHA-256 of the reason given (the text is in the request's history)"""
  reasonHash: String
}

"""字段决定 · The decision for one field coordinate"""
type FieldDecision ${STEWARD} {
  """字段 · Field coordinate"""
  coordinate: String!
  """决定 · allow, mask or deny"""
  decision: String!
  """授权 · The grant that allowed it, if any"""
  grant: String
}

"""数据主体 · An entity whose non-public fields were returned"""
type DataSubject ${STEWARD} {
  """类型 · Type, e.g. Resident"""
  type: String!
  """标识 · Identifier"""
  id: ID!
}

"""共享目录条目 · How one field is shared"""
type CatalogEntry ${STEWARD} {
  """字段 · Field coordinate"""
  coordinate: String!
  """所属部门 · Departments whose subgraphs resolve it"""
  owners: [String!]!
  """共享属性 · UNCONDITIONAL, CONDITIONAL or NONE"""
  sharing: String!
  """默认脱敏 · Masker applied when shared masked"""
  masker: String
  """角色 · Roles that may read (or, for a mutation, call) it"""
  roles: [String!]
}

"""共享授权 · A data-sharing agreement"""
type GrantInfo ${STEWARD} {
  """授权编号 · Grant id"""
  id: ID!
  """使用部门 · Consumer department"""
  consumer: String!
  """字段 · Fields granted"""
  fields: [String!]!
  """用途 · Purposes granted"""
  purposes: [String!]!
  """脱敏字段 · Fields sent masked"""
  masked: [String!]!
  """生效时间 · Valid from"""
  validFrom: String!
  """失效时间 · Valid until"""
  validUntil: String!
  """撤销时间 · Revoked at, if revoked"""
  revokedAt: String
  """撤销人 · Who revoked it"""
  revokedBy: String
  """撤销理由 · Why it was revoked"""
  revokedReason: String
  """是否有效 · In force now"""
  active: Boolean!
  """来源申请 · The sharing request it was approved on"""
  requestId: ID
  """提供部门 · The department whose fields it shares"""
  provider: String
  """区域 · Area-code prefixes it is limited to (none: every area)"""
  areas: [String!]
}

"""共享申请 · A department's request for another department's CONDITIONAL fields, with its history"""
type SharingRequest ${STEWARD} {
  """申请编号 · Request id"""
  id: ID!
  """申请部门 · The consumer department"""
  consumer: String!
  """申请人 · The steward who filed it"""
  requestedBy: String!
  """申请字段 · Fields asked for"""
  fields: [String!]!
  """用途 · Purposes asked for"""
  purposes: [String!]!
  """脱敏字段 · Fields asked for masked only"""
  masked: [String!]!
  """区域 · Area-code prefixes asked for (none: every area)"""
  areas: [String!]
  """应用场景 · The scenario the data is needed for"""
  scenario: String!
  """依据 · The legal or policy basis"""
  basis: String!
  """有效期至 · Validity asked for"""
  validUntil: String!
  """状态 · SUBMITTED, RETURNED, FORWARDED, ANSWERED, ESCALATED or CLOSED"""
  status: String!
  """申请时间 · Filed at"""
  createdAt: String!
  """办理时限 · When the step it waits on (review or coordination) is due"""
  due: DueDate
  """是否逾期 · Whether a step it waits on (its own, or a provider's answer) is past its time limit"""
  overdue: Boolean!
  """提供部门答复 · Each providing department's part and answer"""
  parts: [SharingPart!]!
  """办理记录 · Every step, oldest first"""
  history: [SharingStep!]!
}

"""办理时限 · A time limit in working days"""
type DueDate ${STEWARD} {
  """截止日期 · Last working day (China Standard Time)"""
  date: String!
  """截止时刻 · The instant it ends"""
  endsAt: String!
  """是否估算 · True when the holiday calendar does not cover a year it spans: weekends alone were skipped there"""
  estimated: Boolean!
}

"""部门答复 · The part of a request one department provides"""
type SharingPart ${STEWARD} {
  """提供部门 · Providing department"""
  provider: String!
  """字段 · Its fields asked for"""
  fields: [String!]!
  """状态 · WAITING (for review), PENDING (its answer), APPROVED or REFUSED"""
  status: String!
  """答复时限 · When its answer is due"""
  due: DueDate
  """是否逾期 · Whether its answer is past its time limit"""
  overdue: Boolean!
  """授权编号 · The grant approving it made"""
  grant: ID
}

"""办理步骤 · One step of a request"""
type SharingStep ${STEWARD} {
  """序号 · Step number within the request"""
  seq: Int!
  """时间 · When"""
  at: String!
  """办理人 · Who took it (sub)"""
  actor: String!
  """部门 · Their department"""
  department: String
  """动作 · REQUEST, FORWARD, RETURN, APPROVE, REFUSE, ESCALATE, COORDINATE, REVOKE or EXPIRE"""
  action: String!
  """提供部门 · The part it concerns, if one"""
  provider: String
  """理由 · The reason given"""
  reason: String
  """条件 · What an approval granted, as JSON"""
  conditions: String
  """授权编号 · The grant it made or ended"""
  grant: ID
  """请求标识 · The gateway's id of the request that took it (find its audit record with it)"""
  requestId: String
}

"""共享申请分页 · A page of sharing requests"""
type SharingRequestConnection ${STEWARD} {
  """本页申请 · The requests of this page, newest first"""
  nodes: [SharingRequest!]!
  """分页信息 · Page information"""
  pageInfo: PageInfo!
  """总数 · Requests matching the filter"""
  totalCount: Int!
}

"""共享申请查询条件 · Which sharing requests to list"""
input SharingRequestFilter {
  """状态 · One status"""
  status: String
  """申请部门 · Consumer department"""
  consumer: String
  """提供部门 · A providing department"""
  provider: String
  """逾期 · true: only overdue; false: only not overdue"""
  overdue: Boolean
}

"""共享申请内容 · What a consumer department asks for"""
input SharingRequestInput {
  """字段 · CONDITIONAL fields of other departments, e.g. Resident.birthDate"""
  fields: [String!]!
  """用途 · Purposes"""
  purposes: [String!]!
  """应用场景 · What the data is needed for (at most 1,000 characters)"""
  scenario: String!
  """依据 · Legal or policy basis (at most 1,000 characters)"""
  basis: String!
  """有效期至 · Until when (ISO 8601; at most three years ahead)"""
  validUntil: String!
  """脱敏字段 · Of fields, those wanted masked only"""
  masked: [String!]
  """区域 · Area-code prefixes it is needed for (none: every area)"""
  areas: [String!]
}

"""批准条件 · What an approval grants: each the same as asked or narrower; left out, as asked"""
input SharingConditions {
  """字段 · Fields approved"""
  fields: [String!]
  """用途 · Purposes approved"""
  purposes: [String!]
  """脱敏字段 · Fields approved masked only (with the field's masker)"""
  masked: [String!]
  """有效期至 · Valid until"""
  validUntil: String
  """区域 · Area-code prefixes approved"""
  areas: [String!]
}

type Mutation {
  """提出共享申请 · A consumer department's steward asks for CONDITIONAL fields of other departments"""
  requestSharing(
    """申请内容 · What is asked for"""
    input: SharingRequestInput!
  ): SharingRequest! ${STEWARD}

  """合规审核 · The data authority's steward forwards a request to its providers, or returns it with a reason"""
  reviewSharingRequest(
    """申请编号 · Request id"""
    id: ID!
    """是否转交 · true: forward to the providers; false: return it"""
    forward: Boolean!
    """理由 · Required to return (at most 500 characters)"""
    reason: String
  ): SharingRequest! ${STEWARD}

  """答复 · A providing department's steward approves its part (narrower conditions allowed) or refuses it with a reason"""
  answerSharingRequest(
    """申请编号 · Request id"""
    id: ID!
    """是否同意 · true: approve (makes the grant); false: refuse"""
    approve: Boolean!
    """理由 · Required to refuse (at most 500 characters)"""
    reason: String
    """批准条件 · Narrower terms for an approval; as asked when left out"""
    conditions: SharingConditions
  ): SharingRequest! ${STEWARD}

  """提请协调 · The consumer's steward takes a refusal to the data authority"""
  escalateSharingRequest(
    """申请编号 · Request id"""
    id: ID!
    """理由 · Why the refusal should be reconsidered"""
    reason: String!
  ): SharingRequest! ${STEWARD}

  """协调 · The data authority's final word on an escalated request"""
  coordinateSharingRequest(
    """申请编号 · Request id"""
    id: ID!
    """是否同意 · true: grant the refused parts; false: close the request"""
    approve: Boolean!
    """理由 · The grounds of the decision"""
    reason: String!
    """批准条件 · Narrower terms for the refused parts; as asked when left out"""
    conditions: SharingConditions
  ): SharingRequest! ${STEWARD}

  """撤销授权 · The providing department's or the data authority's steward ends a grant"""
  revokeGrant(
    """授权编号 · Grant id"""
    id: ID!
    """理由 · Why it ends"""
    reason: String!
  ): GrantInfo! ${STEWARD}
}
`;
