import type { DataSource } from 'typeorm';
import type { GridCaller } from './acting-worker';
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

/** Services for one caller: every read and write stays inside its areas; visits and incidents are recorded as it. */
export function createGridServices(dataSource: DataSource, caller: GridCaller, clock: () => Date = () => new Date()): GridServices {
  return {
    grid: new GridService(dataSource, caller),
    visits: new VisitService(dataSource, caller, clock),
    incidents: new IncidentService(dataSource, caller, clock),
    timeline: new TimelineService(dataSource, caller),
  };
}
