import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { whereAreaStartsWith } from '../../kit/area-code';
import { fetchPage, type Page, type PageArgs } from '../../kit/connection';
import { scopedQuery, whereWithinJurisdiction, type Jurisdiction } from '../../kit/jurisdiction';
import { GridCell } from '../entities/grid-cell.entity';
import { GridWorker } from '../entities/grid-worker.entity';
import { ResidentRegistration } from '../entities/resident-registration.entity';
import type { GridCellFilter } from '../inputs/grid.inputs';

export interface CellResident {
  cellId: string;
  residentId: string;
}

/** Cells, workers and the resident registry inside one caller's jurisdiction. */
export class GridService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jurisdiction: Jurisdiction,
  ) {}

  findCellsByIds(ids: readonly string[]): Promise<GridCell[]> {
    return this.cells().andWhere('g.id IN (:...ids)', { ids }).getMany();
  }

  findChildrenByParentIds(parentIds: readonly string[]): Promise<GridCell[]> {
    return this.cells().andWhere('g.parent_id IN (:...parentIds)', { parentIds }).orderBy('g.code').getMany();
  }

  findCellsByWorkerIds(workerIds: readonly string[]): Promise<GridCell[]> {
    return this.cells().andWhere('g.worker_id IN (:...workerIds)', { workerIds }).orderBy('g.code').getMany();
  }

  /** The village/community (level 1) cell of each area code. */
  findVillageCellsByAreaCodes(areaCodes: readonly string[]): Promise<GridCell[]> {
    return this.cells().andWhere('g.level = 1 AND g.area_code IN (:...areaCodes)', { areaCodes }).getMany();
  }

  findWorkersByIds(ids: readonly string[]): Promise<GridWorker[]> {
    return scopedQuery(this.dataSource, GridWorker, 'w', this.jurisdiction).andWhere('w.id IN (:...ids)', { ids }).getMany();
  }

  findRegistrationsByResidentIds(residentIds: readonly string[]): Promise<ResidentRegistration[]> {
    return scopedQuery(this.dataSource, ResidentRegistration, 'r', this.jurisdiction)
      .andWhere('r.resident_id IN (:...residentIds)', { residentIds })
      .getMany();
  }

  /** Residents registered in each cell or any cell below it (cell codes are hierarchical). */
  /**
   * For each cell, the first `first` residents (by id) registered in it or in
   * any cell below it, inside the jurisdiction: one statement for all cells.
   */
  async findResidentsUnderCells(cellIds: readonly string[], first: number): Promise<CellResident[]> {
    const query = this.dataSource
      .createQueryBuilder()
      .select('k.id', 'cell_id')
      .addSelect('r.resident_id', 'resident_id')
      .addSelect('ROW_NUMBER() OVER (PARTITION BY k.id ORDER BY r.resident_id)', 'rn')
      .from(GridCell, 'k')
      .innerJoin(GridCell, 'c', "c.code LIKE k.code || '%'")
      .innerJoin(ResidentRegistration, 'r', 'r.cell_id = c.id')
      .where('k.id IN (:...cellIds)', { cellIds });
    const ranked = whereWithinJurisdiction(query, 'r.area_code', this.jurisdiction);
    const rows: { cell_id: string; resident_id: string }[] = await this.dataSource
      .createQueryBuilder()
      .select('t.cell_id', 'cell_id')
      .addSelect('t.resident_id', 'resident_id')
      .from(`(${ranked.getQuery()})`, 't')
      .where('t.rn <= :first', { first })
      .orderBy('t.cell_id')
      .addOrderBy('t.rn')
      .setParameters({ ...ranked.getParameters(), first })
      .getRawMany();
    return rows.map((row) => ({ cellId: row.cell_id, residentId: row.resident_id }));
  }

  searchCells(filter: GridCellFilter | null | undefined, page: PageArgs): Promise<Page<GridCell>> {
    const query = this.cells();
    whereAreaStartsWith(query, 'g.area_code', filter?.areaCode);
    if (filter?.level) query.andWhere('g.level = :level', { level: filter.level });
    return fetchPage(query, [{ column: 'g.code', order: 'ASC' }], (row) => [row.code], page);
  }

  private cells(): SelectQueryBuilder<GridCell> {
    return scopedQuery(this.dataSource, GridCell, 'g', this.jurisdiction);
  }
}
