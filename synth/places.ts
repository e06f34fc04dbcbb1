import type { Random } from './random';

/** The synthetic county: 陕西省安康市汉阴县, statistical code 610921. */
export const COUNTY = { code: '610921', name: '汉阴县', prefix: '陕西省安康市汉阴县' } as const;

export const TOWNSHIPS: readonly { code: string; name: string }[] = [
  { code: '610921100', name: '城关镇' },
  { code: '610921101', name: '涧池镇' },
  { code: '610921102', name: '蒲溪镇' },
  { code: '610921103', name: '平梁镇' },
  { code: '610921104', name: '双乳镇' },
  { code: '610921105', name: '铁佛寺镇' },
  { code: '610921106', name: '漩涡镇' },
  { code: '610921107', name: '汉阳镇' },
  { code: '610921108', name: '双河口镇' },
  { code: '610921109', name: '观音河镇' },
];

const FIRST = '凤龙太双清新红金马石黄柳白青安兴永和平高东西南北中上下长大小花桃松竹梨枣茶月星';
const SECOND = '河坪岭沟湾坝山垭店庄堡梁溪桥园岩寨台池坡塘';

export interface Village {
  /** 12-digit area code. */
  code: string;
  name: string;
  township: { code: string; name: string };
  isCommunity: boolean;
}

/**
 * Villages and communities spread over the townships. Community codes run
 * 001-099 and village codes 200-299, as in the statistical division code.
 */
export function generateVillages(random: Random, count: number): Village[] {
  const used = new Set<string>();
  const counters = new Map<string, { community: number; village: number }>();
  const villages: Village[] = [];
  for (let i = 0; i < count; i += 1) {
    const township = TOWNSHIPS[i % TOWNSHIPS.length]!;
    const counter = counters.get(township.code) ?? { community: 0, village: 0 };
    counters.set(township.code, counter);
    // The county seat is mostly communities; elsewhere the first unit of each township is.
    const isCommunity = township.code === '610921100' ? counter.community < 3 : counter.community === 0 && counter.village > 2;
    let name: string;
    do {
      name = random.pick([...FIRST]) + random.pick([...SECOND]);
    } while (used.has(name));
    used.add(name);
    const serial = isCommunity ? (counter.community += 1) : 200 + (counter.village += 1);
    villages.push({
      code: township.code + String(serial).padStart(3, '0'),
      name: name + (isCommunity ? '社区' : '村'),
      township,
      isCommunity,
    });
  }
  return villages;
}

const CHINESE_NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

export function groupName(index: number): string {
  return `${CHINESE_NUMERALS[index] ?? String(index)}组`;
}

export function villageAddress(village: Village, group: number, house: number): string {
  return village.isCommunity
    ? `${COUNTY.prefix}${village.township.name}${village.name}${group}栋${house}号`
    : `${COUNTY.prefix}${village.township.name}${village.name}${groupName(group)}${house}号`;
}
