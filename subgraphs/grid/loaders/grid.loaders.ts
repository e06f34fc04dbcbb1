import type DataLoader from 'dataloader';
import { createGroupedLoader, createKeyedLoader, NotFoundError } from '../../kit/batch-loader';
import type { SubgraphContext } from '../../kit/context';
import type { GridCell } from '../entities/grid-cell.entity';
import type { GridWorker } from '../entities/grid-worker.entity';
import type { Incident } from '../entities/incident.entity';
import type { ResidentRegistration } from '../entities/resident-registration.entity';
import type { Visit } from '../entities/visit.entity';
import type { GridServices } from '../services';
import type { CellResident } from '../services/grid.service';
import type { TimelineEntry } from '../services/timeline.service';

/** A visit or an incident: what a cell's timeline lists (GraphQL type GridEvent). */
export type GridEventRow = Visit | Incident;

/** One event on the timeline of `cellId`. */
export interface CellEvent {
  cellId: string;
  event: GridEventRow;
}

export interface GridLoaders {
  cellById: DataLoader<string, GridCell>;
  childrenByParentId: DataLoader<string, GridCell[]>;
  cellsByWorkerId: DataLoader<string, GridCell[]>;
  villageCellByAreaCode: DataLoader<string, GridCell>;
  workerById: DataLoader<string, GridWorker>;
  registrationByResidentId: DataLoader<string, ResidentRegistration>;
  /** The first `first` residents under each cell; one loader per value of `first` in a request, as for timelines. */
  residentsUnderCellId(first: number): DataLoader<string, CellResident[]>;
  visitsByResidentId: DataLoader<string, Visit[]>;
  visitById: DataLoader<string, Visit>;
  incidentById: DataLoader<string, Incident>;
  /**
   * The newest `first` events under each cell, newest first. One loader per
   * value of `first` in a request, so all cells asked with the same `first`
   * share one batch.
   */
  timelineByCellId(first: number): DataLoader<string, CellEvent[]>;
}

export type GridContext = SubgraphContext<GridLoaders, GridServices>;

export function createGridLoaders({ grid, visits, incidents, timeline }: GridServices): GridLoaders {
  const visitById = createKeyedLoader(
    'Visit',
    (ids) => visits.findByIds(ids),
    (v) => v.id,
  );
  const incidentById = createKeyedLoader(
    'Incident',
    (ids) => incidents.findByIds(ids),
    (i) => i.id,
  );
  const timelines = new Map<number, DataLoader<string, CellEvent[]>>();
  const timelineByCellId = (first: number): DataLoader<string, CellEvent[]> => {
    let loader = timelines.get(first);
    if (!loader) {
      loader = createGroupedLoader(
        async (cellIds) => withRows(await timeline.findNewestUnderCells(cellIds, first), visitById, incidentById),
        (e) => e.cellId,
      );
      timelines.set(first, loader);
    }
    return loader;
  };
  const residentLists = new Map<number, DataLoader<string, CellResident[]>>();
  const residentsUnderCellId = (first: number): DataLoader<string, CellResident[]> => {
    let loader = residentLists.get(first);
    if (!loader) {
      loader = createGroupedLoader(
        (ids) => grid.findResidentsUnderCells(ids, first),
        (r) => r.cellId,
      );
      residentLists.set(first, loader);
    }
    return loader;
  };
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
    residentsUnderCellId,
    visitsByResidentId: createGroupedLoader(
      (ids) => visits.findByResidentIds(ids),
      (v) => v.residentId,
    ),
    visitById,
    incidentById,
    timelineByCellId,
  };
}

/**
 * The records of timeline entries, through the per-request loaders (one
 * query per table for the whole batch, and cached for the rest of the
 * request), in the entries' order. An entry whose record is gone by now is
 * left out.
 */
async function withRows(
  entries: readonly TimelineEntry[],
  visitById: DataLoader<string, Visit>,
  incidentById: DataLoader<string, Incident>,
): Promise<CellEvent[]> {
  const idsOf = (kind: TimelineEntry['kind']) => [...new Set(entries.filter((e) => e.kind === kind).map((e) => e.id))];
  const [visitRows, incidentRows] = await Promise.all([visitById.loadMany(idsOf('Visit')), incidentById.loadMany(idsOf('Incident'))]);
  const rows = new Map<string, GridEventRow>();
  const keep = (kind: TimelineEntry['kind'], loaded: (GridEventRow | Error)[]) => {
    for (const row of loaded) {
      if (row instanceof NotFoundError) continue;
      if (row instanceof Error) throw row;
      rows.set(`${kind}:${row.id}`, row);
    }
  };
  keep('Visit', visitRows);
  keep('Incident', incidentRows);
  return entries.flatMap((entry) => {
    const event = rows.get(`${entry.kind}:${entry.id}`);
    return event ? [{ cellId: entry.cellId, event }] : [];
  });
}
