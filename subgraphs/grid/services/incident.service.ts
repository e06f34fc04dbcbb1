import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { scopedQuery } from '../../kit/jurisdiction';
import { actingWorker, type GridCaller } from './acting-worker';
import { BadUserInputError } from '../../../common/errors';
import { whereAreaStartsWith } from '../../kit/area-code';
import { fetchPage, newestFirst, type Page, type PageArgs } from '../../kit/connection';
import { applyTransition, type GuardedRecord } from '../../kit/guarded-transition';
import { INCIDENT_MACHINE, type IncidentTransition } from '../domain/incident.machine';
import { IncidentStatus } from '../entities/enums';
import { GridCell } from '../entities/grid-cell.entity';
import { Incident } from '../entities/incident.entity';
import type { IncidentFilter, ReportIncidentInput } from '../inputs/grid.inputs';
import { inTransaction } from '../../../common/database/transaction';

const INCIDENTS: GuardedRecord<Incident, IncidentStatus, IncidentTransition> = {
  entity: Incident,
  name: 'Incident',
  noun: 'an incident',
  alias: 'i',
  machine: INCIDENT_MACHINE,
};

export class IncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jurisdiction: GridCaller,
    private readonly clock: () => Date,
  ) {}

  findByIds(ids: readonly string[]): Promise<Incident[]> {
    return scopedQuery(this.dataSource, Incident, 'i', this.jurisdiction).andWhere('i.id IN (:...ids)', { ids }).getMany();
  }

  search(filter: IncidentFilter | null | undefined, page: PageArgs): Promise<Page<Incident>> {
    const query = scopedQuery(this.dataSource, Incident, 'i', this.jurisdiction);
    whereAreaStartsWith(query, 'i.area_code', filter?.areaCode);
    if (filter?.status) query.andWhere('i.status = :status', { status: filter.status });
    if (filter?.category) query.andWhere('i.category = :category', { category: filter.category });
    return fetchPage(query, newestFirst('i.reported_at', 'i.id'), (row) => [row.reportedAt, row.id], page);
  }

  async report(input: ReportIncidentInput): Promise<Incident> {
    return inTransaction(this.dataSource, async (tx) => {
      const cell = await scopedQuery(tx, GridCell, 'g', this.jurisdiction).andWhere('g.id = :id', { id: input.cellId }).getOne();
      if (!cell) throw new BadUserInputError('cellId does not name a grid cell', { field: 'cellId' });
      const reportedById = await actingWorker(tx, this.jurisdiction, input.reportedById, 'reportedById');
      const incident = tx.create(Incident, {
        id: randomUUID(),
        cellId: cell.id,
        areaCode: cell.areaCode,
        reportedById,
        category: input.category,
        description: input.description.trim(),
        status: IncidentStatus.REPORTED,
        dispatchedTo: null,
        reportedAt: this.clock().toISOString(),
        resolvedAt: null,
        resolution: null,
      });
      await tx.insert(Incident, incident);
      return incident;
    });
  }

  /** One step of REPORTED → DISPATCHED → RESOLVED, conditional on the status read. */
  advance(id: string, transition: IncidentTransition, changes: (now: string) => Partial<Incident>): Promise<Incident> {
    return inTransaction(this.dataSource, (tx) =>
      applyTransition(tx, this.jurisdiction, INCIDENTS, id, transition, () => changes(this.clock().toISOString())),
    );
  }
}
