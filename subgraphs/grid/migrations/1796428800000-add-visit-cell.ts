import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { refColumn } from '../../kit/migration-tables';

/**
 * Each visit records the basic cell it happened in (`visit.cell_id`), so a
 * cell's timeline can list its visits. Existing visits get the cell their
 * resident is registered in now (resident_registration), provided that cell
 * lies in the visit's own area: a resident who has since moved to another
 * village does not take old visits along. A visit whose resident has no
 * registration there keeps a null cell. New visits are written with it.
 */
export class AddVisitCell1796428800000 implements MigrationInterface {
  name = 'AddVisitCell1796428800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('visit', new TableColumn(refColumn('cell_id', true)));
    await runner.query(
      'UPDATE visit SET cell_id = (SELECT r.cell_id FROM resident_registration r ' +
        'WHERE r.resident_id = visit.resident_id AND r.area_code = visit.area_code) WHERE cell_id IS NULL',
    );
    await runner.createIndex('visit', new TableIndex({ name: 'idx_visit_cell', columnNames: ['cell_id'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('visit', 'idx_visit_cell');
    await runner.dropColumn('visit', 'cell_id');
  }
}
