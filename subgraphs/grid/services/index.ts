import type { DataSource } from 'typeorm';
import type { Jurisdiction } from '../../kit/jurisdiction';
import { GridService } from './grid.service';
import { IncidentService } from './incident.service';
import { TimelineService } from './timeline.service';
import { VisitService } from './visit.service';

export interface GridServices {
  grid: GridService;
  visits: VisitService;
  incidents: IncidentService;
  timeline: TimelineService;
}

/** Services for one caller: every read and write stays inside `jurisdiction`. */
export function createGridServices(dataSource: DataSource, jurisdiction: Jurisdiction, clock: () => Date = () => new Date()): GridServices {
  return {
    grid: new GridService(dataSource, jurisdiction),
    visits: new VisitService(dataSource, jurisdiction, clock),
    incidents: new IncidentService(dataSource, jurisdiction, clock),
    timeline: new TimelineService(dataSource, jurisdiction),
  };
}
