import path from 'node:path';
import Database from 'better-sqlite3';
import type { GovernanceContext } from '../common/governance-context';
import type { Purpose } from '../gateway/identity/purpose';
import { Random } from '../synth/random';

/**
 * What the benchmark asks, and who asks it: realistic operations for the
 * callers of SPEC §5, with ids drawn from the seeded county so that every
 * request reads different rows. Every operation is answered in full for its
 * caller (no denied field), so each target does the same work.
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

const CELL_LIST = `query GridWorkerCellList($id: ID!) {
  gridCell(id: $id) {
    code name
    worker { name phone }
    residents {
      id careLevel name phone idNumber address
      benefits { type status }
    }
  }
}`;

const CASE_FILE = `query PetitionCaseFile($id: ID!) {
  petition(id: $id) {
    trackingNumber category status riskLevel overdue receivedAt subject content
    history { at action department note }
    gridCell { name worker { name phone } }
    petitioner {
      name phone idNumber address
      gridCell { name worker { name phone } }
    }
  }
}`;

const RESIDENT_SEARCH = `query ResidentSearch($areaCode: String!, $first: Int!) {
  residents(filter: { areaCode: $areaCode }, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name gender birthDate idNumber phone address
      household { address }
      benefits { type status monthlyAmount startDate }
      gridCell { name }
    }
  }
}`;

/** The same search without the grid's field: one subgraph, so it can also be sent directly. */
export const RESIDENT_PAGE = `query ResidentPage($areaCode: String!, $first: Int!) {
  residents(filter: { areaCode: $areaCode }, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name gender birthDate idNumber phone address
      household { address }
      benefits { type status monthlyAmount startDate }
    }
  }
}`;

const AGGREGATES = `query AreaFigures($areaCode: String!) {
  benefitSummary(areaCode: $areaCode) { areaCode activeCount monthlyTotal byType { type activeCount monthlyTotal } }
  petitionStats(areaCode: $areaCode) { total overdue byStatus { status count } byCategory { category count } }
}`;

const RECORD_VISIT = `mutation RecordVisit($input: RecordVisitInput!) {
  recordVisit(input: $input) { id visitedAt followUpNeeded }
}`;

interface Worker {
  id: string;
  areaCode: string;
  cells: string[];
  residents: string[];
}

/** Ids drawn from the seeded databases, in a stable order. */
export interface Pools {
  workers: Worker[];
  petitions: string[];
  villages: string[];
  townships: string[];
}

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;

function readonlyDb(dataDir: string, file: string): Database.Database {
  return new Database(path.join(dataDir, file), { readonly: true, fileMustExist: true });
}

/** Reads the pools from the department databases under `dataDir`. */
export function readPools(dataDir: string, workerCount = 64): Pools {
  const grid = readonlyDb(dataDir, 'grid.sqlite');
  const civil = readonlyDb(dataDir, 'civil-affairs.sqlite');
  const petitionsDb = readonlyDb(dataDir, 'petitions.sqlite');
  try {
    const workerRows = grid
      .prepare('SELECT DISTINCT w.id AS id, w.area_code AS areaCode FROM grid_worker w JOIN grid_cell c ON c.worker_id = w.id WHERE c.level = 3 ORDER BY w.id LIMIT ?')
      .all(workerCount) as { id: string; areaCode: string }[];
    const cellsOf = grid.prepare('SELECT id FROM grid_cell WHERE worker_id = ? AND level = 3 ORDER BY id');
    const residentsIn = grid.prepare('SELECT resident_id AS id FROM resident_registration WHERE cell_id = ? ORDER BY resident_id');
    const workers = workerRows.map((row) => {
      const cells = (cellsOf.all(row.id) as { id: string }[]).map((cell) => cell.id);
      const residents = cells.flatMap((cell) => (residentsIn.all(cell) as { id: string }[]).map((r) => r.id));
      return { ...row, cells, residents };
    });
    const petitions = (petitionsDb.prepare('SELECT id FROM petition ORDER BY id LIMIT 5000').all() as { id: string }[]).map((row) => row.id);
    const villages = (civil.prepare('SELECT DISTINCT area_code AS code FROM household ORDER BY area_code').all() as { code: string }[]).map((row) => row.code);
    const townships = [...new Set(villages.map((code) => code.slice(0, 9)))];
    if (workers.length === 0 || petitions.length === 0 || villages.length === 0) throw new Error('the benchmark county has no workers, petitions or villages');
    return { workers: workers.filter((worker) => worker.residents.length > 0), petitions, villages, townships };
  } finally {
    grid.close();
    civil.close();
    petitionsDb.close();
  }
}

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
  return [PETITIONS_OFFICER, CIVIL_OFFICER, ANALYST, ...pools.workers.map(workerCaller)];
}

/** The mixed workload of the issue: five operations, one of them a write. */
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
      next: (random) => ({ caller: PETITIONS_OFFICER, operationName: 'PetitionCaseFile', query: CASE_FILE, variables: { id: pick(pools.petitions, random) } }),
    },
    residentSearchOperation(pools, 20),
    {
      name: 'AreaFigures',
      weight: 15,
      next: (random) => ({ caller: ANALYST, operationName: 'AreaFigures', query: AGGREGATES, variables: { areaCode: pick(pools.townships, random) } }),
    },
    {
      name: 'RecordVisit',
      weight: 5,
      next: (random) => {
        const { worker, caller } = pick(workers, random);
        const input = { residentId: pick(worker.residents, random), workerId: worker.id, notes: '例行走访，生活情况稳定。', followUpNeeded: random() < 0.1 };
        return { caller, operationName: 'RecordVisit', query: RECORD_VISIT, variables: { input } };
      },
    },
  ];
}

/** The civil-affairs officer's search: a page of residents of a village, with each one's grid cell. */
export function residentSearchOperation(pools: Pools, first: number): Operation {
  return {
    name: 'ResidentSearch',
    weight: 30,
    next: (random) => ({ caller: CIVIL_OFFICER, operationName: 'ResidentSearch', query: RESIDENT_SEARCH, variables: { areaCode: pick(pools.villages, random), first } }),
  };
}

/** One single-subgraph operation, the same page without grid cells: the floor, sent directly too. */
export function singleSubgraphOperation(pools: Pools, first = 20): Operation {
  return {
    name: 'ResidentPage',
    weight: 1,
    next: (random) => ({ caller: CIVIL_OFFICER, operationName: 'ResidentPage', query: RESIDENT_PAGE, variables: { areaCode: pick(pools.villages, random), first } }),
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
  return { sub: caller.sub, department: caller.department, roles: caller.roles, areas: caller.areas, purpose: caller.purpose, requestId: 'bench' };
}

/** The seeded generator of synth/, so runs ask for the same rows in the same order. */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}
