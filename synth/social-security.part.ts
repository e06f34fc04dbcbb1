import type { BenefitRow, CountyOptions, ResidentRow } from './county';
import type { Random } from './random';
import { EMPLOYERS } from './texts';

export interface EmploymentRow {
  id: string;
  residentId: string;
  areaCode: string;
  status: 'EMPLOYED' | 'UNEMPLOYED_REGISTERED' | 'RETIRED' | 'FLEXIBLE';
  employerName: string | null;
  since: string;
}

export interface PensionPaymentRow {
  id: string;
  residentId: string;
  areaCode: string;
  /** YYYY-MM */
  month: string;
  scheme: 'URBAN_EMPLOYEE' | 'URBAN_RURAL_RESIDENT';
  amount: number;
  paidOn: string;
}

export interface SocialSecurityPart {
  employments: EmploymentRow[];
  pensionPayments: PensionPaymentRow[];
}

type Status = EmploymentRow['status'] | null;

const DAY_MS = 86_400_000;
const ADULT = 18;
/** Months of pension paid before the county's date, newest first. */
const PENSION_MONTHS = 3;
/** The day of the month pensions are paid. */
const PAY_DAY = 10;

/**
 * Among adults (of about 36% at retirement age): about 55% employed or in
 * flexible employment, 20% retired, 3% registered unemployed, the rest with
 * no record (farming, study, care at home). Minors have no record.
 */
const WORKING_AGE: readonly (readonly [Status, number])[] = [
  ['EMPLOYED', 55],
  ['FLEXIBLE', 22.5],
  ['UNEMPLOYED_REGISTERED', 4.7],
  [null, 17.8],
];
const RETIREMENT_AGE: readonly (readonly [Status, number])[] = [
  ['RETIRED', 56],
  ['FLEXIBLE', 10],
  ['EMPLOYED', 5],
  [null, 29],
];
/** On 低保 (an active minimum living allowance): mostly without steady work, a retiree's pension the residents' scheme. */
const ALLOWANCE_WORKING_AGE: readonly (readonly [Status, number])[] = [
  ['UNEMPLOYED_REGISTERED', 40],
  ['FLEXIBLE', 35],
  ['EMPLOYED', 5],
  [null, 20],
];
const ALLOWANCE_RETIREMENT_AGE: readonly (readonly [Status, number])[] = [
  ['RETIRED', 70],
  [null, 30],
];

function addYears(isoDate: string, years: number): string {
  const moved = `${Number(isoDate.slice(0, 4)) + years}${isoDate.slice(4)}`;
  return moved.endsWith('-02-29') ? `${moved.slice(0, 8)}28` : moved;
}

/** The day `days` before the county's date, as YYYY-MM-DD: a few thousand distinct days, each formatted once. */
function dayBefore(asOf: number): (days: number) => string {
  const formatted: string[] = [];
  return (days) => (formatted[days] ??= new Date(asOf - days * DAY_MS).toISOString().slice(0, 10));
}

/** The last PENSION_MONTHS months before the county's date, newest first, with their pay day. */
function recentMonths(asOf: string): { month: string; paidOn: string }[] {
  return Array.from({ length: PENSION_MONTHS }, (_, i) => {
    const date = new Date(asOf);
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() - 1 - i);
    const month = date.toISOString().slice(0, 7);
    return { month, paidOn: `${month}-${String(PAY_DAY).padStart(2, '0')}` };
  });
}

/**
 * Social security's records of the county: an employment record for most
 * adults, and for every retiree the pension paid in each of the last few
 * months since retiring, under the employees' scheme for those who had an
 * employer, else the residents' scheme. Area codes are the resident's.
 */
export function generateSocialSecurity(
  random: Random,
  options: CountyOptions,
  residents: readonly ResidentRow[],
  benefits: readonly BenefitRow[],
): SocialSecurityPart {
  const [asOfYear, asOfDay] = [Number(options.asOf.slice(0, 4)), options.asOf.slice(0, 10)];
  const daysAgo = dayBefore(Date.parse(options.asOf));
  const onAllowance = new Set(
    benefits.filter((b) => b.type === 'MINIMUM_LIVING_ALLOWANCE' && b.status === 'ACTIVE').map((b) => b.residentId),
  );
  const months = recentMonths(options.asOf);
  const part: SocialSecurityPart = { employments: [], pensionPayments: [] };
  for (const resident of residents) {
    const age = asOfYear - Number(resident.birthDate.slice(0, 4));
    if (age < ADULT) continue;
    const retirementDay = addYears(resident.birthDate, resident.gender === 'MALE' ? 60 : 55);
    const [old, poor] = [retirementDay < asOfDay, onAllowance.has(resident.id)];
    const status = random.weighted(poor ? (old ? ALLOWANCE_RETIREMENT_AGE : ALLOWANCE_WORKING_AGE) : old ? RETIREMENT_AGE : WORKING_AGE);
    if (!status) continue;
    const hadEmployer = status === 'RETIRED' && !poor && random.chance(0.35);
    const since =
      status === 'RETIRED'
        ? retirementDay
        : status === 'UNEMPLOYED_REGISTERED'
          ? daysAgo(random.int(14, 700))
          : daysAgo(random.int(30, Math.max(30, Math.min(20, age - ADULT) * 365)));
    const employerName = status === 'EMPLOYED' || hadEmployer ? random.pick(EMPLOYERS) : null;
    const { id: residentId, areaCode } = resident;
    part.employments.push({ id: random.uuid(), residentId, areaCode, status, employerName, since });
    if (status !== 'RETIRED') continue;
    const scheme = hadEmployer ? 'URBAN_EMPLOYEE' : 'URBAN_RURAL_RESIDENT';
    const amount = hadEmployer ? random.int(220_000, 460_000) / 100 : random.int(150, poor ? 220 : 320);
    for (const { month, paidOn } of months) {
      if (paidOn >= since) part.pensionPayments.push({ id: random.uuid(), residentId, areaCode, month, scheme, amount, paidOn });
    }
  }
  return part;
}
