import { In, type DataSource } from 'typeorm';
import { whereAreaStartsWith } from '../../kit/area-code';
import { fetchPage, type Page, type PageArgs } from '../../kit/connection';
import { GridCell } from '../entities/grid-cell.entity';
import { GridWorker } from '../entities/grid-worker.entity';
import { ResidentRegistration } from '../entities/resident-registration.entity';
import type { GridCellFilter } from '../inputs/grid.inputs';

export interface CellResident {
  cellId: string;
  residentId: string;
}

/** Cells, workers and the resident registry. */
export class GridService {
  constructor(private readonly dataSource: DataSource) {}

  findCellsByIds(ids: readonly string[]): Promise<GridCell[]> {
    return this.dataSource.getRepository(GridCell).findBy({ id: In([...ids]) });
  }

  findChildrenByParentIds(parentIds: readonly string[]): Promise<GridCell[]> {
    return this.dataSource.getRepository(GridCell).find({ where: { parentId: In([...parentIds]) }, order: { code: 'ASC' } });
  }

  findCellsByWorkerIds(workerIds: readonly string[]): Promise<GridCell[]> {
    return this.dataSource.getRepository(GridCell).find({ where: { workerId: In([...workerIds]) }, order: { code: 'ASC' } });
  }

  /** The village/community (level 1) cell of each area code. */
  findVillageCellsByAreaCodes(areaCodes: readonly string[]): Promise<GridCell[]> {
    return this.dataSource.getRepository(GridCell).findBy({ level: 1, areaCode: In([...areaCodes]) });
  }

  findWorkersByIds(ids: readonly string[]): Promise<GridWorker[]> {
    return this.dataSource.getRepository(GridWorker).findBy({ id: In([...ids]) });
  }

  findRegistrationsByResidentIds(residentIds: readonly string[]): Promise<ResidentRegistration[]> {
    return this.dataSource.getRepository(ResidentRegistration).findBy({ residentId: In([...residentIds]) });
  }

  /** Residents registered in each cell or any cell below it (cell codes are hierarchical). */
  async findResidentsUnderCells(cellIds: readonly string[]): Promise<CellResident[]> {
    const rows: { cell_id: string; resident_id: string }[] = await this.dataSource
      .createQueryBuilder()
      .select('k.id', 'cell_id')
      .addSelect('r.resident_id', 'resident_id')
      .from(GridCell, 'k')
      .innerJoin(GridCell, 'c', "c.code LIKE k.code || '%'")
      .innerJoin(ResidentRegistration, 'r', 'r.cell_id = c.id')
      .where('k.id IN (:...cellIds)', { cellIds })
      .orderBy('r.resident_id')
      .getRawMany();
    return rows.map((row) => ({ cellId: row.cell_id, residentId: row.resident_id }));
  }

  searchCells(filter: GridCellFilter | null | undefined, page: PageArgs): Promise<Page<GridCell>> {
    const query = this.dataSource.getRepository(GridCell).createQueryBuilder('g');
    whereAreaStartsWith(query, 'g.area_code', filter?.areaCode);
    if (filter?.level) query.andWhere('g.level = :level', { level: filter.level });
    return fetchPage(query, [{ column: 'g.code', order: 'ASC' }], (row) => [row.code], page);
  }
}
