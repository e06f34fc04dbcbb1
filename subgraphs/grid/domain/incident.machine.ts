import type { StateMachine } from '../../kit/state-machine';
import { IncidentStatus } from '../entities/enums';

export type IncidentTransition = 'dispatched' | 'resolved';

/** REPORTED → DISPATCHED → RESOLVED: an incident is dispatched once, then resolved; a resolved one stays resolved. */
export const INCIDENT_MACHINE: StateMachine<IncidentStatus, IncidentTransition> = {
  dispatched: { from: [IncidentStatus.REPORTED], to: IncidentStatus.DISPATCHED },
  resolved: { from: [IncidentStatus.DISPATCHED], to: IncidentStatus.RESOLVED },
};
