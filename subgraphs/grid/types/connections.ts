import { createConnectionType } from '../../kit/connection';
import { GridCell } from '../entities/grid-cell.entity';
import { Incident } from '../entities/incident.entity';

export const GridCellConnection = createConnectionType(GridCell, 'GridCell', '网格');
export type GridCellConnection = InstanceType<typeof GridCellConnection>;

export const IncidentConnection = createConnectionType(Incident, 'Incident', '事件');
export type IncidentConnection = InstanceType<typeof IncidentConnection>;
