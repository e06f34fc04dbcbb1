import type { DataSource } from 'typeorm';
import { GridService } from './grid.service';
import { IncidentService } from './incident.service';
import { VisitService } from './visit.service';

export interface GridServices {
  grid: GridService;
  visits: VisitService;
  incidents: IncidentService;
}

export function createGridServices(dataSource: DataSource, clock: () => Date = () => new Date()): GridServices {
  return {
    grid: new GridService(dataSource),
    visits: new VisitService(dataSource, clock),
    incidents: new IncidentService(dataSource, clock),
  };
}
