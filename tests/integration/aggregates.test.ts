import type { Identity } from '../../gateway/identity/identity';
import { MONEY_BAND_YUAN, SMALL_CELL_MINIMUM, sumPublished } from '../../common/small-cells';
import { startStack, type Stack } from './stack';

/**
 * The aggregates other departments read, as a statistics analyst and a grid
 * worker over two villages see them, against the owning departments' exact
 * figures: no withheld village figure can be worked out from published ones,
 * and money moves only in whole bands.
 */

type Caller = { as: Partial<Identity>; purpose: string };
/** Every figure of the three summaries for one area, by name (`benefit.count.ALL`, `petition.status.CLOSED`, …). */
type Figures = Map<string, number | null>;

const SUMMARIES = `query ($area: String!) {
  benefitSummary(areaCode: $area) { activeCount monthlyTotal withheldCells byType { type activeCount monthlyTotal } }
  petitionStats(areaCode: $area) { total overdue withheldCells byStatus { status count } byCategory { category count } }
  socialSecuritySummary(areaCode: $area) { total withheldCells byStatus { status count } } }`;

interface Summaries {
  benefitSummary: {
    activeCount: number | null;
    monthlyTotal: number | null;
    withheldCells: number;
    byType: { type: string; activeCount: number | null; monthlyTotal: number | null }[];
  };
  petitionStats: {
    total: number | null;
    overdue: number | null;
    withheldCells: number;
    byStatus: { status: string; count: number | null }[];
    byCategory: { category: string; count: number | null }[];
  };
  socialSecuritySummary: { total: number | null; withheldCells: number; byStatus: { status: string; count: number | null }[] };
}

/**
 * The figures of one village that partition the same records, each group summing to the village's true total
 * (never published as such: a published total is the sum of the published figures of one group).
 */
const DIMENSIONS: { dimension: RegExp; records: string }[] = [
  { dimension: /^benefit\.count\.(?!ALL)/, records: 'benefits' },
  { dimension: /^petition\.status\./, records: 'petitions' },
  { dimension: /^petition\.category\./, records: 'petitions' },
  { dimension: /^social\.status\./, records: 'employment' },
];

const TOTALS: Record<string, RegExp> = {
  'benefit.count.ALL': /^benefit\.count\.(?!ALL)/,
  'benefit.money.ALL': /^benefit\.money\.(?!ALL)/,
  'petition.total': /^petition\.status\./,
  'social.total': /^social\.status\./,
};

const ANALYST: Caller = { as: { sub: 'tj-1', department: 'statistics', roles: ['analyst'], areas: ['610921'] }, purpose: 'statistics' };
const OFFICER: Caller = { as: { sub: 'ca-1', department: 'civil-affairs', roles: ['officer'], areas: ['610921'] }, purpose: 'service' };
const OWNERS: Record<string, Caller> = {
  benefit: OFFICER,
  petition: { as: { sub: 'xf-1', department: 'petitions', roles: ['officer'], areas: ['610921'] }, purpose: 'service' },
  social: { as: { sub: 'rs-1', department: 'social-security', roles: ['officer'], areas: ['610921'] }, purpose: 'service' },
};
/** The villages of the grid worker in the finding: in two townships, one with a small group of extreme-poverty support. */
const [V1, V2] = ['610921102201', '610921104201'];
const GRID_PAIR: Caller = { as: { sub: 'wg-1', department: 'grid', roles: ['grid_worker'], areas: [V1, V2] }, purpose: 'assistance' };

let stack: Stack;
let villages: string[];
let areas: string[];

beforeAll(async () => {
  // 13 villages: three townships hold two each, so every level of the hierarchy has several children somewhere.
  // Every area is asked at once, more than a caller may have in flight: the limits are not what is tested here.
  stack = await startStack({
    residents: 26_000,
    seed: 7,
    rateLimits: { perCaller: 0, perAddress: 0, callerConcurrency: 0, callerCostInFlight: 0 },
  });
  villages = stack.county.villages.map((v) => v.code).sort();
  areas = [...new Set(villages.flatMap((code) => [6, 7, 8, 9, 10, 11, 12].map((n) => code.slice(0, n))))].sort();
}, 120_000);
afterAll(() => stack.stop());

async function figures(caller: Caller, area: string): Promise<Figures> {
  const result = await stack.query<Summaries>(SUMMARIES, { area }, caller);
  expect(result.errors).toBeUndefined();
  const { benefitSummary: b, petitionStats: p, socialSecuritySummary: s } = result.data!;
  return new Map<string, number | null>([
    ['benefit.count.ALL', b.activeCount],
    ['benefit.money.ALL', b.monthlyTotal],
    ...b.byType.flatMap((t): [string, number | null][] => [
      [`benefit.count.${t.type}`, t.activeCount],
      [`benefit.money.${t.type}`, t.monthlyTotal],
    ]),
    ['petition.total', p.total],
    ['petition.overdue', p.overdue],
    ...p.byStatus.map((c): [string, number | null] => [`petition.status.${c.status}`, c.count]),
    ...p.byCategory.map((c): [string, number | null] => [`petition.category.${c.category}`, c.count]),
    ['social.total', s.total],
    ...s.byStatus.map((c): [string, number | null] => [`social.status.${c.status}`, c.count]),
  ]);
}

async function everyArea(caller: Caller): Promise<Map<string, Figures>> {
  return new Map(await Promise.all(areas.map(async (area) => [area, await figures(caller, area)] as const)));
}

function within(caller: Caller, village: string): boolean {
  return caller.as.areas!.some((prefix) => village.startsWith(prefix));
}

/** Ends every active benefit of `type` in `village` and grants the amounts given, to residents without one. */
async function setGroup(village: string, type: string, amounts: number[]): Promise<string[]> {
  const active = stack.county.benefits.filter((b) => b.areaCode === village && b.type === type && b.status === 'ACTIVE');
  for (const benefit of active) {
    const ended = await stack.query(
      'mutation ($id: ID!) { endBenefit(id: $id, endDate: "2026-11-30") { id } }',
      { id: benefit.id },
      OFFICER,
    );
    expect(ended.errors).toBeUndefined();
  }
  const holders = new Set(stack.county.benefits.filter((b) => b.type === type).map((b) => b.residentId));
  const recipients = stack.county.residents.filter((r) => r.areaCode === village && !holders.has(r.id)).slice(0, amounts.length);
  for (const [i, amount] of amounts.entries()) await grant(recipients[i]!.id, type, amount);
  return recipients.map((r) => r.id);
}

async function grant(residentId: string, type: string, monthlyAmount: number): Promise<void> {
  const result = await stack.query(
    'mutation ($input: GrantBenefitInput!) { grantBenefit(input: $input) { id } }',
    { input: { residentId, type, monthlyAmount, startDate: '2026-12-01' } },
    OFFICER,
  );
  expect(result.errors).toBeUndefined();
}

describe.each([
  ['a statistics analyst, county-wide', ANALYST],
  ['a grid worker over two villages in two townships', GRID_PAIR],
])('%s', (_name, caller) => {
  let seen: Map<string, Figures>;
  let exact: Map<string, Figures>;

  beforeAll(async () => {
    seen = await everyArea(caller);
    exact = new Map(
      await Promise.all(
        villages.map(async (village) => {
          const own = new Map<string, number | null>();
          for (const [prefix, owner] of Object.entries(OWNERS)) {
            for (const [name, value] of await figures(owner, village)) if (name.startsWith(`${prefix}.`)) own.set(name, value);
          }
          return [village, own] as const;
        }),
      ),
    );
  });

  it('sees, for every area and every figure, exactly the sum of its villages’ published figures: a parent less its children gives nothing withheld', () => {
    for (const area of areas) {
      const inside = villages.filter((village) => village.startsWith(area) && within(caller, village));
      for (const [name, value] of seen.get(area)!) {
        const parts = inside.map((village) => seen.get(village)!.get(name)!);
        const published = parts.filter((part): part is number => part !== null);
        const expected = inside.length > 0 && published.length === 0 ? null : published.reduce((sum, part) => sum + part, 0);
        expect({ area, name, value }).toEqual({ area, name, value: expected });
      }
    }
  });

  it('sees each village’s published counts exactly, money rounded to the band, totals summing what is published, and every small count withheld', () => {
    for (const village of villages.filter((v) => within(caller, v))) {
      for (const [name, value] of seen.get(village)!) {
        const truth = exact.get(village)!.get(name)!;
        if (value === null || TOTALS[name]) continue;
        if (name.includes('.money.'))
          expect({ name, value }).toEqual({ name, value: Math.round(truth / MONEY_BAND_YUAN) * MONEY_BAND_YUAN });
        else expect({ village, name, value }).toEqual({ village, name, value: truth });
      }
      // A total is the sum of the published figures of its group, never a figure of its own.
      for (const [total, group] of Object.entries(TOTALS)) {
        const cells = [...seen.get(village)!].filter(([name]) => group.test(name)).map(([, value]) => value);
        expect({ village, total, value: seen.get(village)!.get(total) }).toEqual({ village, total, value: sumPublished(cells) });
      }
      for (const [name, truth] of exact.get(village)!) {
        // Money goes with its count; a small count is never published.
        if (truth !== null && truth > 0 && truth < SMALL_CELL_MINIMUM && !name.includes('.money.')) {
          expect({ village, name, value: seen.get(village)!.get(name) }).toEqual({ village, name, value: null });
        }
      }
    }
  });

  it('can never work a withheld village figure out of the others of that village: one withheld in a group only when its total is unknown too', () => {
    let withheld = 0;
    for (const village of villages.filter((v) => within(caller, v))) {
      const own = seen.get(village)!;
      const groups = DIMENSIONS.map(({ dimension, records }) => ({ records, cells: [...own].filter(([name]) => dimension.test(name)) }));
      for (const group of groups) {
        const hidden = group.cells.filter(([, value]) => value === null).length;
        withheld += hidden;
        if (hidden !== 1) continue;
        // The true total is known where another group of the same records is published whole.
        const totalKnown = groups.some(
          (other) => other !== group && other.records === group.records && other.cells.every(([, v]) => v !== null),
        );
        expect({ village, records: group.records, totalKnown }).toEqual({ village, records: group.records, totalKnown: false });
      }
    }
    // The property is only shown where something is withheld.
    expect(withheld).toBeGreaterThan(0);
  });
});

describe('a grid worker over two villages, while civil affairs grants benefits', () => {
  it('learns nothing of a group of two extreme-poverty recipients, nor of a third granted 888.88 into it, nor the amount of one joining a published group', async () => {
    const pair = await setGroup(V1, 'EXTREME_POVERTY_SUPPORT', [770, 750]);
    const before = await everyArea(GRID_PAIR);
    // The finding: the county less V2's township was V1's hidden group, 1,520 = 770 + 750.
    const county = before.get('610921')!;
    const township = before.get(V2.slice(0, 9))!;
    expect(county.get('benefit.money.EXTREME_POVERTY_SUPPORT')! - township.get('benefit.money.EXTREME_POVERTY_SUPPORT')!).toBe(0);
    expect(county.get('benefit.count.EXTREME_POVERTY_SUPPORT')! - township.get('benefit.count.EXTREME_POVERTY_SUPPORT')!).toBe(0);
    expect(before.get(V1)!.get('benefit.count.EXTREME_POVERTY_SUPPORT')).toBeNull();

    const holders = new Set([
      ...pair,
      ...stack.county.benefits.filter((b) => b.type === 'EXTREME_POVERTY_SUPPORT').map((b) => b.residentId),
    ]);
    const newcomer = stack.county.residents.find((r) => r.areaCode === V1 && !holders.has(r.id))!;
    await grant(newcomer.id, 'EXTREME_POVERTY_SUPPORT', 888.88);
    const after = await everyArea(GRID_PAIR);
    expect(after).toEqual(before);

    // A published group: its figures move by a count of one and money in whole bands only.
    const group = 'MINIMUM_LIVING_ALLOWANCE';
    expect(before.get(V1)!.get(`benefit.count.${group}`)).toBeGreaterThanOrEqual(SMALL_CELL_MINIMUM);
    const joiner = stack.county.residents.find(
      (r) => r.areaCode === V1 && r.id !== newcomer.id && !stack.county.benefits.some((b) => b.residentId === r.id),
    )!;
    await grant(joiner.id, group, 888.88);
    const later = await everyArea(GRID_PAIR);
    for (const [area, figuresThen] of after) {
      for (const [name, then] of figuresThen) {
        const now = later.get(area)!.get(name)!;
        if (name.includes('.money.') && now !== null) expect({ area, name, band: now % MONEY_BAND_YUAN }).toEqual({ area, name, band: 0 });
        if (name.includes('.money.') && now !== null && then !== null) expect(Math.abs(now - then) % MONEY_BAND_YUAN).toBe(0);
      }
    }
    expect(later.get('610921')!.get(`benefit.count.${group}`)).toBe(after.get('610921')!.get(`benefit.count.${group}`)! + 1);
  });
});
