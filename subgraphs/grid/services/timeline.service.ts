import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { whereWithinJurisdiction, type Jurisdiction } from '../../kit/jurisdiction';
import { GridCell } from '../entities/grid-cell.entity';
import { Incident } from '../entities/incident.entity';
import { Visit } from '../entities/visit.entity';

export type GridEventKind = 'Visit' | 'Incident';

/** One event on a cell's timeline: which cell asked, which record, in timeline order. */
export interface TimelineEntry {
  cellId: string;
  kind: GridEventKind;
  id: string;
}

/** The events (visits and incidents) of cells, inside one caller's jurisdiction. */
export class TimelineService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jurisdiction: Jurisdiction,
  ) {}

  /**
   * For each cell, the newest `first` events of the cell and of every cell
   * below it (cell codes are hierarchical), newest first (ties by id,
   * descending), in one statement for all cells. Events outside the
   * jurisdiction are never read.
   */
  async findNewestUnderCells(cellIds: readonly string[], first: number): Promise<TimelineEntry[]> {
    const visits = this.eventsUnder(cellIds, Visit, 'v', 'Visit', 'v.visited_at');
    const incidents = this.eventsUnder(cellIds, Incident, 'i', 'Incident', 'i.reported_at');
    const ranked = this.dataSource
      .createQueryBuilder()
      .select('e.cell_id', 'cell_id')
      .addSelect('e.kind', 'kind')
      .addSelect('e.id', 'id')
      .addSelect('ROW_NUMBER() OVER (PARTITION BY e.cell_id ORDER BY e.happened_at DESC, e.id DESC)', 'rn')
      .from(`(${visits.getQuery()} UNION ALL ${incidents.getQuery()})`, 'e');
    const rows: { cell_id: string; kind: GridEventKind; id: string }[] = await this.dataSource
      .createQueryBuilder()
      .select('t.cell_id', 'cell_id')
      .addSelect('t.kind', 'kind')
      .addSelect('t.id', 'id')
      .from(`(${ranked.getQuery()})`, 't')
      .where('t.rn <= :first', { first })
      .orderBy('t.cell_id')
      .addOrderBy('t.rn')
      .setParameters({ ...visits.getParameters(), ...incidents.getParameters(), first })
      .getRawMany();
    return rows.map((row) => ({ cellId: row.cell_id, kind: row.kind, id: row.id }));
  }

  /**
   * One table's events under each of `cellIds` (the cell and every cell whose
   * code starts with its code), inside the jurisdiction: the asking cell, the
   * kind, the event's id and time. Joined through the table's cell index.
   */
  private eventsUnder(
    cellIds: readonly string[],
    entity: typeof Visit | typeof Incident,
    alias: string,
    kind: GridEventKind,
    timeColumn: string,
  ): SelectQueryBuilder<GridCell> {
    const query = this.dataSource
      .createQueryBuilder()
      .select('k.id', 'cell_id')
      .addSelect(`'${kind}'`, 'kind')
      .addSelect(`${alias}.id`, 'id')
      .addSelect(timeColumn, 'happened_at')
      .from(GridCell, 'k')
      // The same area code is implied (a code starts with its area code) but lets the join go through
      // the area index from each asked cell: without it SQLite started from every event in the
      // jurisdiction and matched each against every asked cell (seconds on a large county).
      .innerJoin(GridCell, 'c', "c.area_code = k.area_code AND c.code LIKE k.code || '%'")
      .innerJoin(entity, alias, `${alias}.cell_id = c.id`)
      .where('k.id IN (:...cellIds)', { cellIds });
    return whereWithinJurisdiction(query, `${alias}.area_code`, this.jurisdiction);
  }
}
