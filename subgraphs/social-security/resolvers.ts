import { GraphQLScalarType, Kind } from 'graphql';
import type { Loaders } from './loaders';
import type { EmploymentRecord, PensionRecord, Records } from './records';
import type { SignedContext } from './verifier';

/** What a request's resolvers share: the caller the gateway signed for, and records and loaders bound to its areas. */
export interface SocialSecurityContext {
  caller: SignedContext;
  records: Records;
  loaders: Loaders;
}

type Resident = { id: string };
type SocialSecurityRecord = EmploymentRecord | PensionRecord;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Dates as the records hold them, `YYYY-MM-DD`; anything else is refused rather than passed on. */
const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: '日期 · A calendar date, YYYY-MM-DD',
  serialize: (value) => {
    if (typeof value !== 'string' || !DATE.test(value)) throw new TypeError('Date cannot represent this value');
    return value;
  },
  parseValue: (value) => {
    if (typeof value !== 'string' || !DATE.test(value)) throw new TypeError('Date must be YYYY-MM-DD');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !DATE.test(ast.value)) throw new TypeError('Date must be YYYY-MM-DD');
    return ast.value;
  },
});

/** Newest first; an employment record and a payment of the same day in a stable order. */
function newestFirst(a: SocialSecurityRecord, b: SocialSecurityRecord): number {
  const [atA, atB] = [a.kind === 'Employment' ? a.since : a.paidOn, b.kind === 'Employment' ? b.since : b.paidOn];
  return atA === atB ? a.id.localeCompare(b.id) : atA < atB ? 1 : -1;
}

/** Thin: every record is reached through a per-request loader, every count through Records. */
export const resolvers = {
  Date: DateScalar,
  Query: {
    socialSecuritySummary: (_root: unknown, args: { areaCode: string }, ctx: SocialSecurityContext) => ctx.records.summarise(args.areaCode),
  },
  Resident: {
    // Social security's fields of a resident are loaded in batches by the resolvers below; the reference needs no lookup.
    __resolveReference: (ref: Resident) => ({ id: ref.id }),
    employment: (resident: Resident, _args: unknown, ctx: SocialSecurityContext) => ctx.loaders.employmentOf.load(resident.id),
    pensions: (resident: Resident, _args: unknown, ctx: SocialSecurityContext) => ctx.loaders.pensionsOf.load(resident.id),
    socialSecurityRecords: async (resident: Resident, _args: unknown, ctx: SocialSecurityContext) => {
      const [employment, pensions] = await Promise.all([
        ctx.loaders.employmentOf.load(resident.id),
        ctx.loaders.pensionsOf.load(resident.id),
      ]);
      return [...(employment ? [employment] : []), ...pensions].sort(newestFirst);
    },
  },
  SocialSecurityRecord: {
    __resolveType: (record: SocialSecurityRecord) => record.kind,
  },
  Employment: {
    __resolveReference: (ref: { id: string }, ctx: SocialSecurityContext) => ctx.loaders.employmentById.load(ref.id),
    at: (record: EmploymentRecord) => record.since,
  },
  PensionPayment: {
    __resolveReference: (ref: { id: string }, ctx: SocialSecurityContext) => ctx.loaders.pensionById.load(ref.id),
    at: (record: PensionRecord) => record.paidOn,
  },
};
