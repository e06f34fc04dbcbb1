import type { BenefitRow, CountyOptions, HouseholdRow, Placement, ResidentRow } from './county';
import { pickGivenName, pickPhone, pickSurname } from './names';
import { groupName, type Village } from './places';
import type { Random } from './random';
import { HANDLING_DEPARTMENTS, INCIDENT_RESOLUTIONS, INCIDENT_TEXTS, VISIT_NOTES } from './texts';

export interface CellRow {
  id: string;
  code: string;
  name: string;
  level: number;
  areaCode: string;
  parentId: string | null;
  workerId: string | null;
}

export interface WorkerRow {
  id: string;
  name: string;
  phone: string;
  areaCode: string;
}

export interface RegistrationRow {
  residentId: string;
  cellId: string;
  careLevel: string;
  areaCode: string;
}

export interface VisitRow {
  id: string;
  residentId: string;
  workerId: string;
  visitedAt: string;
  notes: string;
  followUpNeeded: boolean;
  /** The basic cell of the resident visited. */
  cellId: string;
  areaCode: string;
}

export interface IncidentRow {
  id: string;
  cellId: string;
  reportedById: string;
  category: string;
  description: string;
  status: string;
  dispatchedTo: string | null;
  reportedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  areaCode: string;
}

export interface GridPart {
  cells: CellRow[];
  workers: WorkerRow[];
  registrations: RegistrationRow[];
  visits: VisitRow[];
  incidents: IncidentRow[];
}

/** Households per basic cell (三级网格, a micro-grid of 30-50 households): one grid worker each. */
export const HOUSEHOLDS_PER_CELL = 35;
const HOUR_MS = 3_600_000;

/**
 * Three levels of cells per village (village, group, basic cell), one worker
 * per basic cell, every resident registered in the basic cell of their
 * household, care levels, visits to those who need them, and incidents.
 */
export function generateGrid(
  random: Random,
  options: CountyOptions,
  villages: readonly Village[],
  households: readonly HouseholdRow[],
  placements: readonly Placement[],
  residents: readonly ResidentRow[],
  benefits: readonly BenefitRow[],
): GridPart {
  const asOf = Date.parse(options.asOf);
  const cells = new CellBook(random);
  const workers: WorkerRow[] = [];
  const basicCellOf = new Map<string, CellRow>();
  const cellFor = (village: Village, group: number, house: number): CellRow => {
    const key = `${village.code}|${group}|${Math.floor((house - 1) / HOUSEHOLDS_PER_CELL)}`;
    let cell = basicCellOf.get(key);
    if (cell) return cell;
    const villageCell = cells.ensure(village.code, village.name, 1, village.code, null);
    const groupCode = village.code + String(group).padStart(2, '0');
    const groupCell = cells.ensure(groupCode, village.name + groupName(group), 2, village.code, villageCell.id);
    const index = Math.floor((house - 1) / HOUSEHOLDS_PER_CELL) + 1;
    const worker: WorkerRow = {
      id: random.uuid(),
      name: pickSurname(random) + pickGivenName(random, random.chance(0.4)),
      phone: pickPhone(random),
      areaCode: village.code,
    };
    workers.push(worker);
    cell = cells.ensure(
      groupCode + String(index).padStart(2, '0'),
      `${groupCell.name}第${index}网格`,
      3,
      village.code,
      groupCell.id,
      worker.id,
    );
    basicCellOf.set(key, cell);
    return cell;
  };
  for (const village of villages) cells.ensure(village.code, village.name, 1, village.code, null);

  const householdCell = new Map<string, CellRow>();
  households.forEach((household, i) => {
    const placement = placements[i]!;
    householdCell.set(household.id, cellFor(placement.village, placement.group, placement.house));
  });

  const needsCare = new Set(
    benefits
      .filter((b) => b.status === 'ACTIVE' && (b.type === 'MINIMUM_LIVING_ALLOWANCE' || b.type === 'EXTREME_POVERTY_SUPPORT'))
      .map((b) => b.residentId),
  );
  const disabled = new Set(
    benefits.filter((b) => b.type === 'DISABILITY_ALLOWANCE' || b.type === 'ELDERLY_ALLOWANCE').map((b) => b.residentId),
  );
  const registrations: RegistrationRow[] = [];
  const visits: VisitRow[] = [];
  for (const resident of residents) {
    const cell = householdCell.get(resident.householdId)!;
    const careLevel = needsCare.has(resident.id) ? 'CARE' : disabled.has(resident.id) || random.chance(0.05) ? 'ATTENTION' : 'NORMAL';
    registrations.push({ residentId: resident.id, cellId: cell.id, careLevel, areaCode: cell.areaCode });
    const count = careLevel === 'CARE' ? random.int(2, 6) : careLevel === 'ATTENTION' ? random.int(0, 2) : 0;
    for (let i = 0; i < count; i += 1) {
      visits.push({
        id: random.uuid(),
        residentId: resident.id,
        workerId: cell.workerId!,
        visitedAt: new Date(asOf - random.int(1, 365 * 24) * HOUR_MS).toISOString(),
        notes: random.pick(VISIT_NOTES),
        followUpNeeded: random.chance(0.15),
        cellId: cell.id,
        areaCode: cell.areaCode,
      });
    }
  }

  const incidents: IncidentRow[] = [];
  for (const cell of cells.all) {
    if (cell.level !== 3) continue;
    for (let i = random.int(0, 4); i > 0; i -= 1) {
      const category = random.weighted([
        ['DISPUTE', 25],
        ['SAFETY_HAZARD', 20],
        ['SANITATION', 20],
        ['INFRASTRUCTURE', 15],
        ['PUBLIC_ORDER', 8],
        ['LIVELIHOOD', 12],
      ] as const);
      const reported = asOf - random.int(1, 365 * 24) * HOUR_MS;
      const dispatched = reported + random.int(1, 72) * HOUR_MS;
      const resolved = dispatched + random.int(24, 20 * 24) * HOUR_MS;
      const status = resolved <= asOf ? 'RESOLVED' : dispatched <= asOf ? 'DISPATCHED' : 'REPORTED';
      incidents.push({
        id: random.uuid(),
        cellId: cell.id,
        reportedById: cell.workerId!,
        category,
        description: random.pick(INCIDENT_TEXTS[category]!),
        status,
        dispatchedTo: status === 'REPORTED' ? null : random.pick(HANDLING_DEPARTMENTS),
        reportedAt: new Date(reported).toISOString(),
        resolvedAt: status === 'RESOLVED' ? new Date(resolved).toISOString() : null,
        resolution: status === 'RESOLVED' ? random.pick(INCIDENT_RESOLUTIONS) : null,
        areaCode: cell.areaCode,
      });
    }
  }
  return { cells: cells.all, workers, registrations, visits, incidents };
}

/** Cells in creation order, found by their hierarchical code. */
class CellBook {
  readonly all: CellRow[] = [];
  private readonly byCode = new Map<string, CellRow>();

  constructor(private readonly random: Random) {}

  ensure(code: string, name: string, level: number, areaCode: string, parentId: string | null, workerId: string | null = null): CellRow {
    const existing = this.byCode.get(code);
    if (existing) return existing;
    const cell: CellRow = { id: this.random.uuid(), code, name, level, areaCode, parentId, workerId };
    this.all.push(cell);
    this.byCode.set(code, cell);
    return cell;
  }
}
