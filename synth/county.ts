import { computeCheckCharacter } from '../subgraphs/civil-affairs/domain/id-number';
import { generateGrid, type GridPart } from './grid.part';
import { pickGivenName, pickPhone, pickSurname } from './names';
import { generatePetitions, type PetitionPart } from './petitions.part';
import { generateVillages, villageAddress, type Village } from './places';
import { Random } from './random';
import { generateSocialSecurity, type SocialSecurityPart } from './social-security.part';

/**
 * One synthetic county, generated deterministically from (residents, seed,
 * asOf): the same options always give the same rows. Each department's seed
 * writer takes only its own part; links between departments are ids.
 * Row properties are the entities' property names.
 */
export interface CountyOptions {
  residents: number;
  seed: number;
  /** The instant the data describes: every date lies before it. */
  asOf: string;
}

export interface HouseholdRow {
  id: string;
  areaCode: string;
  address: string;
  headId: string;
}

export interface ResidentRow {
  id: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  idNumber: string;
  phone: string;
  areaCode: string;
  address: string;
  householdId: string;
}

export interface BenefitRow {
  id: string;
  residentId: string;
  areaCode: string;
  type: string;
  status: string;
  monthlyAmount: number;
  startDate: string;
  endDate: string | null;
}

/** Where each household lives: its village, group and house number. */
export interface Placement {
  village: Village;
  group: number;
  house: number;
}

export interface County extends PetitionPart, GridPart, SocialSecurityPart {
  options: CountyOptions;
  villages: Village[];
  households: HouseholdRow[];
  residents: ResidentRow[];
  benefits: BenefitRow[];
}

const DAY_MS = 86_400_000;
const BIRTH_REGIONS: readonly (readonly [string, number])[] = [
  ['610921', 80],
  ['610902', 6],
  ['610923', 3],
  ['610924', 3],
  ['610102', 3],
  ['500101', 2],
  ['420303', 2],
  ['411302', 1],
];
const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [
  [1, 15],
  [2, 25],
  [3, 25],
  [4, 18],
  [5, 11],
  [6, 6],
];

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Independent streams per part, so a change to one part leaves the others' data as it was. */
export function stream(seed: number, part: number): Random {
  return new Random((Math.imul(seed, 0x9e3779b1) ^ Math.imul(part, 0x85ebca6b)) >>> 0);
}

export function generateCounty(options: CountyOptions): County {
  if (!Number.isInteger(options.residents) || options.residents < 1) throw new Error('residents must be a positive integer');
  const villages = generateVillages(stream(options.seed, 1), Math.min(160, Math.max(3, Math.round(options.residents / 2000))));
  const people = generatePeople(stream(options.seed, 2), options, villages);
  const benefits = generateBenefits(stream(options.seed, 3), options, people.residents);
  const petitions = generatePetitions(stream(options.seed, 4), options, people.residents);
  const grid = generateGrid(stream(options.seed, 5), options, villages, people.households, people.placements, people.residents, benefits);
  const socialSecurity = generateSocialSecurity(stream(options.seed, 6), options, people.residents, benefits);
  return { options, villages, ...people, benefits, ...petitions, ...grid, ...socialSecurity };
}

function generatePeople(random: Random, options: CountyOptions, villages: Village[]) {
  const asOfYear = Number(options.asOf.slice(0, 4));
  const households: HouseholdRow[] = [];
  const residents: ResidentRow[] = [];
  const placements: Placement[] = [];
  const sequence = new Map<string, number>();
  const houseNumbers = new Map<string, number>();

  const makeIdNumber = (birthDate: string, male: boolean): string => {
    const region = random.weighted(BIRTH_REGIONS);
    const key = region + birthDate;
    const count = sequence.get(key) ?? 0;
    sequence.set(key, count + 1);
    const serial = String(((count * 2) % 998) + (male ? 1 : 2)).padStart(3, '0');
    const first17 = region + birthDate.replace(/-/g, '') + serial;
    return first17 + computeCheckCharacter(first17);
  };
  const birthDateAt = (age: number): string => {
    const year = asOfYear - age;
    return isoDate(Date.UTC(year, 0, 1) + random.int(0, 364) * DAY_MS);
  };

  let villageIndex = 0;
  while (residents.length < options.residents) {
    const village = villages[villageIndex % villages.length]!;
    villageIndex += 1;
    const group = 1 + (Math.floor(households.length / villages.length) % Math.max(1, Math.ceil(options.residents / villages.length / 300)));
    const houseKey = `${village.code}-${group}`;
    const house = (houseNumbers.get(houseKey) ?? 0) + 1;
    houseNumbers.set(houseKey, house);
    const address = villageAddress(village, group, house);
    const size = Math.min(random.weighted(HOUSEHOLD_SIZES), options.residents - residents.length);
    const householdId = random.uuid();
    const surname = pickSurname(random);
    const headAge = random.int(24, 86);
    const headMale = random.chance(0.82);
    const familyPhone = pickPhone(random);
    const members: { age: number; male: boolean; surname: string; phone: string }[] = [
      { age: headAge, male: headMale, surname, phone: familyPhone },
    ];
    if (size >= 2)
      members.push({
        age: Math.max(20, headAge + random.int(-5, 5)),
        male: !headMale,
        surname: pickSurname(random),
        phone: pickPhone(random),
      });
    for (let i = members.length; i < size; i += 1) {
      const elder = i === 5 && headAge < 60;
      const age = elder ? headAge + random.int(22, 30) : Math.max(0, headAge - random.int(20, 34));
      const male = random.chance(0.51);
      members.push({
        age,
        male,
        surname: elder ? surname : headMale ? surname : members[1]!.surname,
        phone: age >= 16 ? pickPhone(random) : familyPhone,
      });
    }
    const ids = members.map(() => random.uuid());
    households.push({ id: householdId, areaCode: village.code, address, headId: ids[0]! });
    placements.push({ village, group, house });
    members.forEach((member, i) => {
      const birthDate = birthDateAt(member.age);
      residents.push({
        id: ids[i]!,
        name: member.surname + pickGivenName(random, member.male),
        gender: member.male ? 'MALE' : 'FEMALE',
        birthDate,
        idNumber: makeIdNumber(birthDate, member.male),
        phone: member.phone,
        areaCode: village.code,
        address,
        householdId,
      });
    });
  }
  return { households, residents, placements };
}

function generateBenefits(random: Random, options: CountyOptions, residents: readonly ResidentRow[]): BenefitRow[] {
  const asOf = Date.parse(options.asOf);
  const benefits: BenefitRow[] = [];
  for (const resident of residents) {
    const age = Number(options.asOf.slice(0, 4)) - Number(resident.birthDate.slice(0, 4));
    let type: string | null = null;
    let amount = 0;
    if (age >= 80 && random.chance(0.4)) {
      type = 'ELDERLY_ALLOWANCE';
      amount = age >= 100 ? 300 : age >= 90 ? 100 : 50;
    } else if (random.chance(0.027)) {
      type = random.weighted([
        ['MINIMUM_LIVING_ALLOWANCE', 60],
        ['EXTREME_POVERTY_SUPPORT', 10],
        ['DISABILITY_ALLOWANCE', 30],
      ] as const);
      amount =
        type === 'MINIMUM_LIVING_ALLOWANCE'
          ? random.int(35, 68) * 10
          : type === 'EXTREME_POVERTY_SUPPORT'
            ? random.int(70, 110) * 10
            : random.int(6, 12) * 10;
    }
    if (!type) continue;
    const start = asOf - random.int(30, 2500) * DAY_MS;
    const status = random.weighted([
      ['ACTIVE', 85],
      ['SUSPENDED', 5],
      ['ENDED', 10],
    ] as const);
    benefits.push({
      id: random.uuid(),
      residentId: resident.id,
      areaCode: resident.areaCode,
      type,
      status,
      monthlyAmount: amount,
      startDate: isoDate(start),
      endDate: status === 'ENDED' ? isoDate(start + random.int(1, Math.max(1, Math.floor((asOf - start) / DAY_MS) - 1)) * DAY_MS) : null,
    });
  }
  return benefits;
}
