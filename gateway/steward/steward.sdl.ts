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
  """链哈希 · This record's hash in the tamper-evident chain"""
  hash: String!
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
  """是否有效 · In force now"""
  active: Boolean!
}
`;
