import type { StateMachine } from '../../kit/state-machine';
import { IncidentStatus } from '../entities/enums';

export type IncidentTransition = 'dispatched' | 'resolved';

/** SPEC §3: REPORTED → DISPATCHED → RESOLVED. */
export const INCIDENT_MACHINE: StateMachine<IncidentStatus, IncidentTransition> = {
  dispatched: { from: [IncidentStatus.REPORTED], to: IncidentStatus.DISPATCHED },
  resolved: { from: [IncidentStatus.DISPATCHED], to: IncidentStatus.RESOLVED },
};
