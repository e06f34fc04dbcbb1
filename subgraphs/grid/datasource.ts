import type { DatabaseParts } from '../../common/database/datasource';
import { GridCell } from './entities/grid-cell.entity';
import { GridWorker } from './entities/grid-worker.entity';
import { Incident } from './entities/incident.entity';
import { ResidentRegistration } from './entities/resident-registration.entity';
import { Visit } from './entities/visit.entity';
import { CreateGrid1732262400000 } from './migrations/1732262400000-create-grid';
import { AddVisitCell1796428800000 } from './migrations/1796428800000-add-visit-cell';

export const gridDatabase: DatabaseParts = {
  entities: [GridCell, GridWorker, ResidentRegistration, Visit, Incident],
  migrations: [CreateGrid1732262400000, AddVisitCell1796428800000],
};
