/**
 * The governed differential test's three supergraphs with interfaces or
 * unions, each under a fixed, non-permissive classification (./classified.ts)
 * and grants that make decisions differ between the concrete types of one
 * interface: a CONDITIONAL interface field granted on some implementations,
 * masked on another, left out on the rest.
 *
 * Every caller asks for the purpose `statistics`. The consumer department
 * `statistics` owns no subgraph and lives by its grants; each subgraph's
 * department asks too (the owner rule: it sees its own fields, and another
 * department's only as anyone else would). Around the grants that count lie
 * grants that must not: the same fields for another purpose, revoked,
 * expired, for another department, and grants naming an interface's
 * coordinate (`Account.followers`), which grants nothing on its concrete
 * types (decisions are made for `Person.followers`, never `Account.followers`).
 */
import type { Identity } from '../../../gateway/identity/identity';
import type { Grant } from '../../../gateway/access/policy';
import { classifyFixture, type Classification, type ClassificationTable } from './classified';
import type { SupergraphFixture } from './fixture';
import { accountTypeOf, entityInterfacesFixture } from './fixtures/entity-interfaces';
import { interfacesFixture } from './fixtures/interfaces';
import { unionsFixture } from './fixtures/unions';

export interface GovernedFixture {
  /** The fixture with the classification written into its subgraphs. */
  fixture: SupergraphFixture;
  table: ClassificationTable;
  grants: Grant[];
  /** The consumer first, then one caller of each subgraph's department. */
  callers: Identity[];
  /**
   * The concrete type of an entity a subgraph is asked about as an
   * @interfaceObject (`{ __typename: "Account", id }`): the subgraph cannot
   * tell, the test's data can. Undefined for an unknown entity.
   */
  concreteTypeOf?: (representation: Record<string, unknown>) => string | undefined;
  /**
   * The least share of answers in which one selection of an interface or a
   * union is decided differently for two concrete types: the coverage the
   * generated operations must reach here for the property to say much.
   */
  minMixedShare: number;
  /**
   * The most answers plain Apollo may get wrong itself (data null without an
   * error, a selected field left out): no oracle there, so each one is an
   * answer the property does not check.
   */
  maxUnusableShare: number;
}

export const CONSUMER = 'statistics';
export const PURPOSE = 'statistics';

const NONE: Classification = { level: 'NONE' };
const CONDITIONAL: Classification = { level: 'CONDITIONAL' };
const NAME: Classification = { level: 'CONDITIONAL', masker: 'NAME' };
const YEAR: Classification = { level: 'CONDITIONAL', masker: 'YEAR' };

/** One classification for a field of an interface and of every type that declares it. */
function family(types: string[], field: string, classification: Classification): ClassificationTable {
  return Object.fromEntries(types.map((type) => [`${type}.${field}`, classification]));
}

function caller(sub: string, department: string): Identity {
  return { sub, name: sub, department, roles: ['analyst'], areas: ['610921'] };
}

/** The consumer's grant for `statistics`, and the grants that must change nothing. */
function grantsFor(
  fixture: string,
  granted: { fields: string[]; masked: string[] },
  decoys: { otherPurpose: string[]; revoked: string[]; expired: string[] },
  owner: { department: string; fields: string[]; masked: string[] },
): Grant[] {
  const day = 86_400_000;
  const now = Date.now();
  const iso = (offset: number) => new Date(now + offset).toISOString();
  const base = { validFrom: iso(-day), validUntil: iso(365 * day), revokedAt: null };
  return [
    { id: `${fixture}-S1`, consumer: CONSUMER, purposes: [PURPOSE, 'service'], ...granted, ...base },
    { id: `${fixture}-S2`, consumer: CONSUMER, purposes: ['service', 'assistance'], fields: decoys.otherPurpose, masked: [], ...base },
    { id: `${fixture}-S3`, consumer: CONSUMER, purposes: [PURPOSE], fields: decoys.revoked, masked: [], ...base, revokedAt: iso(-day / 2) },
    {
      id: `${fixture}-S4`,
      consumer: CONSUMER,
      purposes: [PURPOSE],
      fields: decoys.expired,
      masked: [],
      ...base,
      validFrom: iso(-2 * day),
      validUntil: iso(-day),
    },
    { id: `${fixture}-O1`, consumer: owner.department, purposes: [PURPOSE], fields: owner.fields, masked: owner.masked, ...base },
  ];
}

const interfaces: GovernedFixture = (() => {
  const media = ['Media', 'Printed', 'Book', 'Magazine', 'Film'];
  const table: ClassificationTable = {
    ...family(media, 'title', NAME),
    ...family(media, 'related', CONDITIONAL),
    ...family(['Printed', 'Book', 'Magazine'], 'pages', CONDITIONAL),
    'Book.isbn': NONE,
    'Book.author': CONDITIONAL,
    'Book.score': CONDITIONAL,
    'Magazine.score': CONDITIONAL,
    'Film.score': CONDITIONAL,
    'Film.minutes': NONE,
    'Film.director': CONDITIONAL,
    'Person.name': NAME,
    'Person.nickname': NONE,
    'Person.pageTotal': CONDITIONAL,
    'Query.featured': CONDITIONAL,
  };
  return {
    fixture: classifyFixture(interfacesFixture, table),
    table,
    grants: grantsFor(
      'interfaces',
      {
        // Film.title, Film.related, Magazine.pages and Magazine.score are not granted.
        fields: [
          'Book.title',
          'Magazine.title',
          'Media.title',
          'Book.related',
          'Magazine.related',
          'Book.pages',
          'Book.author',
          'Film.director',
          'Book.score',
          'Film.score',
          'Person.name',
          'Person.pageTotal',
          'Book.isbn',
        ],
        masked: ['Magazine.title', 'Person.name'],
      },
      { otherPurpose: ['Film.title', 'Magazine.pages', 'Film.related'], revoked: ['Film.title'], expired: ['Magazine.score'] },
      { department: 'ratings', fields: ['Film.title', 'Person.name', 'Book.isbn', 'Query.featured'], masked: ['Film.title'] },
    ),
    callers: [caller('consumer', CONSUMER), caller('library-staff', 'library'), caller('ratings-staff', 'ratings')],
    minMixedShare: 0.15,
    maxUnusableShare: 0.02,
  };
})();

const entityInterfaces: GovernedFixture = (() => {
  const accounts = ['Account', 'Person', 'Organisation', 'Bot'];
  const table: ClassificationTable = {
    ...family(accounts, 'handle', NAME),
    // Fields the @interfaceObject subgraphs add, classified where they are declared: on `Account`.
    'Account.balance': CONDITIONAL,
    'Account.lastSeen': YEAR,
    'Account.plan': NONE,
    'Account.followers': CONDITIONAL,
    'Account.tier': CONDITIONAL,
    'Person.fullName': NAME,
    'Organisation.legalName': CONDITIONAL,
    'Bot.owner': NONE,
    'Invoice.amount': NONE,
    'Invoice.overdue': NONE,
  };
  return {
    fixture: classifyFixture(entityInterfacesFixture, table),
    table,
    grants: grantsFor(
      'entity-interfaces',
      {
        // Bot.handle, Bot.balance, Bot.followers, Organisation.tier and Bot.tier are not granted.
        fields: [
          'Person.handle',
          'Organisation.handle',
          'Person.balance',
          'Organisation.balance',
          'Person.lastSeen',
          'Organisation.lastSeen',
          'Bot.lastSeen',
          'Person.followers',
          'Organisation.followers',
          'Account.followers',
          'Account.tier',
          'Person.tier',
          'Person.fullName',
          'Organisation.legalName',
          'Invoice.amount',
        ],
        masked: ['Organisation.handle', 'Person.lastSeen', 'Bot.lastSeen', 'Person.fullName'],
      },
      { otherPurpose: ['Bot.handle', 'Bot.balance', 'Bot.followers'], revoked: ['Bot.balance'], expired: ['Organisation.tier'] },
      { department: 'billing', fields: ['Person.handle', 'Bot.handle', 'Person.lastSeen', 'Bot.tier'], masked: ['Bot.handle'] },
    ),
    callers: [
      caller('consumer', CONSUMER),
      caller('accounts-staff', 'accounts'),
      caller('billing-staff', 'billing'),
      caller('activity-staff', 'activity'),
    ],
    concreteTypeOf: (representation) => (typeof representation.id === 'string' ? accountTypeOf(representation.id) : undefined),
    // Fields the @interfaceObject subgraphs add are decided alike for every implementation (denied on
    // one, denied on all: the planner fetches them for all), so fewer selections here differ per type.
    minMixedShare: 0.03,
    // Apollo's planner answers some selections of @interfaceObject fields under @include/@skip or
    // repeated type conditions with data: null, or without a selected field, on both gateways alike.
    maxUnusableShare: 0.12,
  };
})();

const unions: GovernedFixture = (() => {
  const feeds = ['Feed', 'Timeline', 'Digest'];
  const table: ClassificationTable = {
    ...family(feeds, 'title', NAME),
    ...family(feeds, 'entries', CONDITIONAL),
    'Timeline.owner': NONE,
    'Digest.sentAt': YEAR,
    'Article.headline': NAME,
    'Article.wordCount': NONE,
    'Article.author': CONDITIONAL,
    'Article.readingCost': CONDITIONAL,
    'Video.caption': NONE,
    'Video.lengthSeconds': CONDITIONAL,
    'Video.price': CONDITIONAL,
    'Profile.displayName': NAME,
    'Profile.followers': NONE,
    'Profile.pinned': CONDITIONAL,
    'Profile.verified': NONE,
  };
  return {
    fixture: classifyFixture(unionsFixture, table),
    table,
    grants: grantsFor(
      'unions',
      {
        // Timeline.entries, Article.author and Video.price are not granted.
        fields: [
          'Timeline.title',
          'Digest.title',
          'Digest.entries',
          'Feed.entries',
          'Digest.sentAt',
          'Article.headline',
          'Article.readingCost',
          'Video.lengthSeconds',
          'Profile.displayName',
          'Profile.pinned',
        ],
        masked: ['Digest.title', 'Digest.sentAt', 'Article.headline'],
      },
      { otherPurpose: ['Timeline.entries', 'Video.price'], revoked: ['Article.author'], expired: ['Timeline.entries'] },
      { department: 'shop', fields: ['Article.headline', 'Profile.displayName', 'Timeline.entries'], masked: ['Profile.displayName'] },
    ),
    callers: [
      caller('consumer', CONSUMER),
      caller('search-staff', 'search'),
      caller('social-staff', 'social'),
      caller('shop-staff', 'shop'),
    ],
    // Union members share few fields: only Feed's title and entries are selected through an abstract type.
    minMixedShare: 0.03,
    maxUnusableShare: 0.02,
  };
})();

export const GOVERNED_FIXTURES: GovernedFixture[] = [interfaces, entityInterfaces, unions];
