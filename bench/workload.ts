import type { GovernanceContext } from '../common/governance-context';
import type { Purpose } from '../gateway/identity/purpose';
import { Random } from '../synth/random';
import type { Pools, Worker } from './pools';
import { AGGREGATES, CASE_FILE, CELL_LIST, MEANS_CHECK, RECORD_VISIT, RESIDENT_PAGE, RESIDENT_SEARCH } from './queries';

/**
 * What the benchmark asks, and who asks it: a petitions officer, two
 * civil-affairs officers (one checking families' means for assistance), an
 * analyst and the grid workers of the county, each with the operations of
 * their daily work, ids drawn from the seeded county.
 */

/** A caller as the benchmark knows it: claims for a token, and the context the subgraphs scope by. */
export interface BenchCaller {
  sub: string;
  name: string;
  department: string;
  roles: string[];
  areas: string[];
  purpose: Purpose;
}

export interface BenchRequest {
  caller: BenchCaller;
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
}

export interface Operation {
  name: string;
  /** Share of the mix, out of the sum of all weights. */
  weight: number;
  next(random: () => number): BenchRequest;
}

const COUNTY = '610921';

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;

export const PETITIONS_OFFICER: BenchCaller = {
  sub: 'bench-petitions-officer',
  name: '信访办理员',
  department: 'petitions',
  roles: ['officer'],
  areas: [COUNTY],
  purpose: 'petition_handling',
};

export const CIVIL_OFFICER: BenchCaller = {
  sub: 'bench-civil-officer',
  name: '民政经办员',
  department: 'civil-affairs',
  roles: ['officer'],
  areas: [COUNTY],
  purpose: 'service',
};

/** Checks a family's means (居民家庭经济状况核对) under G5: social security's employment and pensions. */
export const MEANS_CHECK_OFFICER: BenchCaller = {
  sub: 'bench-civil-means-check',
  name: '民政核对员',
  department: 'civil-affairs',
  roles: ['officer'],
  areas: [COUNTY],
  purpose: 'assistance',
};

export const ANALYST: BenchCaller = {
  sub: 'bench-analyst',
  name: '统计分析员',
  department: 'statistics',
  roles: ['analyst'],
  areas: [COUNTY],
  purpose: 'statistics',
};

function workerCaller(worker: Worker): BenchCaller {
  return { sub: worker.id, name: '网格员', department: 'grid', roles: ['grid_worker'], areas: [worker.areaCode], purpose: 'assistance' };
}

/** Everyone the workload asks as, for minting tokens up front. */
export function allCallers(pools: Pools): BenchCaller[] {
  return [PETITIONS_OFFICER, CIVIL_OFFICER, MEANS_CHECK_OFFICER, ANALYST, ...pools.workers.map(workerCaller)];
}

/** The mixed workload: six operations, one of them a write. */
export function mixedOperations(pools: Pools): Operation[] {
  const workers = pools.workers.map((worker) => ({ worker, caller: workerCaller(worker) }));
  return [
    {
      name: 'GridWorkerCellList',
      weight: 25,
      next: (random) => {
        const { worker, caller } = pick(workers, random);
        return { caller, operationName: 'GridWorkerCellList', query: CELL_LIST, variables: { id: pick(worker.cells, random) } };
      },
    },
    {
      name: 'PetitionCaseFile',
      weight: 25,
      next: (random) => ({
        caller: PETITIONS_OFFICER,
        operationName: 'PetitionCaseFile',
        query: CASE_FILE,
        variables: { id: pick(pools.petitions, random) },
      }),
    },
    residentSearchOperation(pools, 20),
    {
      name: 'MeansCheck',
      weight: 10,
      next: (random) => ({
        caller: MEANS_CHECK_OFFICER,
        operationName: 'MeansCheck',
        query: MEANS_CHECK,
        variables: { id: pick(pools.households, random) },
      }),
    },
    {
      name: 'AreaFigures',
      weight: 15,
      next: (random) => ({
        caller: ANALYST,
        operationName: 'AreaFigures',
        query: AGGREGATES,
        variables: { areaCode: pick(pools.townships, random) },
      }),
    },
    {
      name: 'RecordVisit',
      weight: 5,
      next: (random) => {
        const { worker, caller } = pick(workers, random);
        const input = {
          residentId: pick(worker.residents, random),
          workerId: worker.id,
          notes: '例行走访，生活情况稳定。',
          followUpNeeded: random() < 0.1,
        };
        return { caller, operationName: 'RecordVisit', query: RECORD_VISIT, variables: { input } };
      },
    },
  ];
}

/** The civil-affairs officer's search: a page of residents of a village, with each one's grid cell. */
export function residentSearchOperation(pools: Pools, first: number): Operation {
  return {
    name: 'ResidentSearch',
    weight: 20,
    next: (random) => ({
      caller: CIVIL_OFFICER,
      operationName: 'ResidentSearch',
      query: RESIDENT_SEARCH,
      variables: { areaCode: pick(pools.villages, random), first },
    }),
  };
}

/** The subgraph that answers the single-subgraph operation alone, so it is also measured directly. */
export const DIRECT_SUBGRAPH = 'civil-affairs';

/** One single-subgraph operation, the same page without grid cells: the floor, sent directly too. */
export function singleSubgraphOperation(pools: Pools, first = 20): Operation {
  return {
    name: 'ResidentPage',
    weight: 1,
    next: (random) => ({
      caller: CIVIL_OFFICER,
      operationName: 'ResidentPage',
      query: RESIDENT_PAGE,
      variables: { areaCode: pick(pools.villages, random), first },
    }),
  };
}

/** Picks an operation by weight. */
export function chooser(operations: Operation[]): (random: () => number) => BenchRequest {
  const total = operations.reduce((sum, op) => sum + op.weight, 0);
  return (random) => {
    let ticket = random() * total;
    for (const op of operations) {
      ticket -= op.weight;
      if (ticket < 0) return op.next(random);
    }
    return operations[operations.length - 1]!.next(random);
  };
}

/** The context a gateway that cannot sign passes on for `caller` (the subgraph adds a request id). */
export function benchContext(caller: BenchCaller): Omit<GovernanceContext, 'requestId'> & { requestId: string } {
  return {
    sub: caller.sub,
    department: caller.department,
    roles: caller.roles,
    areas: caller.areas,
    purpose: caller.purpose,
    requestId: 'bench',
  };
}

/** The seeded generator of synth/, so runs ask for the same rows in the same order. */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}
