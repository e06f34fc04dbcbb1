import type DataLoader from 'dataloader';
import { createGroupedLoader, createKeyedLoader } from '../../kit/batch-loader';
import type { SubgraphContext } from '../../kit/context';
import type { GridCell } from '../entities/grid-cell.entity';
import type { GridWorker } from '../entities/grid-worker.entity';
import type { Incident } from '../entities/incident.entity';
import type { ResidentRegistration } from '../entities/resident-registration.entity';
import type { Visit } from '../entities/visit.entity';
import type { GridServices } from '../services';
import type { CellResident } from '../services/grid.service';

export interface GridLoaders {
  cellById: DataLoader<string, GridCell>;
  childrenByParentId: DataLoader<string, GridCell[]>;
  cellsByWorkerId: DataLoader<string, GridCell[]>;
  villageCellByAreaCode: DataLoader<string, GridCell>;
  workerById: DataLoader<string, GridWorker>;
  registrationByResidentId: DataLoader<string, ResidentRegistration>;
  residentsUnderCellId: DataLoader<string, CellResident[]>;
  visitsByResidentId: DataLoader<string, Visit[]>;
  incidentById: DataLoader<string, Incident>;
}

export type GridContext = SubgraphContext<GridLoaders, GridServices>;

export function createGridLoaders({ grid, visits, incidents }: GridServices): GridLoaders {
  return {
    cellById: createKeyedLoader(
      'GridCell',
      (ids) => grid.findCellsByIds(ids),
      (c) => c.id,
    ),
    childrenByParentId: createGroupedLoader(
      (ids) => grid.findChildrenByParentIds(ids),
      (c) => c.parentId ?? '',
    ),
    cellsByWorkerId: createGroupedLoader(
      (ids) => grid.findCellsByWorkerIds(ids),
      (c) => c.workerId ?? '',
    ),
    villageCellByAreaCode: createKeyedLoader(
      'GridCell',
      (codes) => grid.findVillageCellsByAreaCodes(codes),
      (c) => c.areaCode,
    ),
    workerById: createKeyedLoader(
      'GridWorker',
      (ids) => grid.findWorkersByIds(ids),
      (w) => w.id,
    ),
    registrationByResidentId: createKeyedLoader(
      'ResidentRegistration',
      (ids) => grid.findRegistrationsByResidentIds(ids),
      (r) => r.residentId,
    ),
    residentsUnderCellId: createGroupedLoader(
      (ids) => grid.findResidentsUnderCells(ids),
      (r) => r.cellId,
    ),
    visitsByResidentId: createGroupedLoader(
      (ids) => visits.findByResidentIds(ids),
      (v) => v.residentId,
    ),
    incidentById: createKeyedLoader(
      'Incident',
      (ids) => incidents.findByIds(ids),
      (i) => i.id,
    ),
  };
}
