import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { SHARING_DIRECTIVE_DEFINITION, SHARING_LINK } from '../../common/sharing-directive';
import { resolvers } from './resolvers';

/**
 * 人社 social security, SDL first: the schema is written here as it is
 * served, classification (@sharing) next to each field, and
 * `buildSubgraphSchema` adds federation's `_entities` and `_service`.
 * Fields other departments may see only under a grant are nullable, so a
 * denial never wipes out the object around them.
 */
export const typeDefs = gql`
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
    @link(url: "${SHARING_LINK}", import: ["@sharing"])
    @composeDirective(name: "@sharing")

  ${SHARING_DIRECTIVE_DEFINITION}

  type Query {
    """
    就业统计 · Residents with an employment record in an area, by employment status; no personal data
    """
    socialSecuritySummary(
      """
      行政区划代码前缀 · Area-code prefix
      """
      areaCode: String!
    ): SocialSecuritySummary! @sharing(level: "UNCONDITIONAL")
  }

  """
  就业统计 · Employment records of an area counted by status; no personal data
  """
  type SocialSecuritySummary @sharing(level: "UNCONDITIONAL") {
    """
    行政区划代码前缀 · Area-code prefix summarised
    """
    areaCode: String!
    """
    登记总数 · Residents with an employment record; null when withheld in every village
    """
    total: Int
    """
    未公开格数 · Village figures left out of these sums as too small to publish (0 for social security staff)
    """
    withheldCells: Int!
    """
    按状态统计 · Count per employment status, every status listed
    """
    byStatus: [EmploymentStatusCount!]!
  }

  """
  就业状态人数 · Residents in one employment status
  """
  type EmploymentStatusCount @sharing(level: "UNCONDITIONAL") {
    """
    就业状态 · The status
    """
    status: EmploymentStatus!
    """
    人数 · Residents in it; null when withheld in every village
    """
    count: Int
  }

  """
  居民 · A person registered with civil affairs (民政)
  """
  type Resident @key(fields: "id") {
    """
    居民标识 · Opaque identifier of the resident; never the ID number
    """
    id: ID!
    """
    就业状况 · The resident's current employment record, if social security holds one
    """
    employment: Employment @sharing(level: "CONDITIONAL")
    """
    养老金发放 · Pension payments to the resident, newest month first
    """
    pensions: [PensionPayment!] @sharing(level: "CONDITIONAL")
    """
    人社记录 · The resident's employment record and pension payments together, newest first
    """
    socialSecurityRecords: [SocialSecurityRecord!] @sharing(level: "CONDITIONAL")
  }

  """
  人社记录 · A record social security keeps about a resident: an employment record or a pension payment
  """
  interface SocialSecurityRecord {
    """
    日期 · When it took effect: the employment status's start, or the day a pension was paid
    """
    at: Date @sharing(level: "CONDITIONAL")
    """
    行政区划代码 · 12-digit area code of the resident's village or community
    """
    areaCode: String @sharing(level: "CONDITIONAL")
  }

  """
  就业登记 · A resident's current employment record
  """
  type Employment implements SocialSecurityRecord @key(fields: "id") @sharing(level: "CONDITIONAL") {
    """
    就业登记标识 · Opaque identifier of the record
    """
    id: ID!
    """
    日期 · When it took effect: the day the current status began (since)
    """
    at: Date @sharing(level: "CONDITIONAL")
    """
    行政区划代码 · 12-digit area code of the resident's village or community
    """
    areaCode: String @sharing(level: "CONDITIONAL")
    """
    就业状态 · Employed, registered unemployed, retired or in flexible employment
    """
    status: EmploymentStatus
    """
    用人单位 · The employer, or for a retiree the last one; none in flexible employment
    """
    employerName: String @sharing(level: "NONE")
    """
    起始日期 · The day the current status began
    """
    since: Date
  }

  """
  养老金发放 · One month's pension paid to a resident
  """
  type PensionPayment implements SocialSecurityRecord @key(fields: "id") @sharing(level: "CONDITIONAL") {
    """
    发放标识 · Opaque identifier of the payment
    """
    id: ID!
    """
    日期 · When it took effect: the day it was paid
    """
    at: Date @sharing(level: "CONDITIONAL")
    """
    行政区划代码 · 12-digit area code of the resident's village or community
    """
    areaCode: String @sharing(level: "CONDITIONAL")
    """
    发放月份 · The month paid for, YYYY-MM
    """
    month: String
    """
    养老保险类别 · The pension scheme it is paid from
    """
    scheme: PensionScheme
    """
    发放金额（元） · Amount paid, yuan
    """
    amount: Float
  }

  """
  就业状态 · Employment status as registered with social security
  """
  enum EmploymentStatus {
    """
    就业 · Employed
    """
    EMPLOYED
    """
    登记失业 · Registered as unemployed
    """
    UNEMPLOYED_REGISTERED
    """
    退休 · Retired
    """
    RETIRED
    """
    灵活就业 · In flexible employment (self-employed, casual or platform work)
    """
    FLEXIBLE
  }

  """
  养老保险类别 · Basic pension scheme
  """
  enum PensionScheme {
    """
    城镇职工基本养老保险 · Urban employees' basic pension
    """
    URBAN_EMPLOYEE
    """
    城乡居民基本养老保险 · Urban and rural residents' basic pension
    """
    URBAN_RURAL_RESIDENT
  }

  """
  日期 · A calendar date, YYYY-MM-DD
  """
  scalar Date
`;

export function buildSocialSecuritySchema(): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}
