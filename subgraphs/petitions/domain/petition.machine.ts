import type { StateMachine } from '../../kit/state-machine';
import { PetitionStatus } from '../entities/enums';

export type PetitionTransition = 'accepted' | 'rejected' | 'assigned' | 'responded' | 'closed';

/** SPEC §3: RECEIVED → ACCEPTED | NOT_ACCEPTED; ACCEPTED → ASSIGNED → RESPONDED → CLOSED. */
export const PETITION_MACHINE: StateMachine<PetitionStatus, PetitionTransition> = {
  accepted: { from: [PetitionStatus.RECEIVED], to: PetitionStatus.ACCEPTED },
  rejected: { from: [PetitionStatus.RECEIVED], to: PetitionStatus.NOT_ACCEPTED },
  assigned: { from: [PetitionStatus.ACCEPTED], to: PetitionStatus.ASSIGNED },
  responded: { from: [PetitionStatus.ASSIGNED], to: PetitionStatus.RESPONDED },
  closed: { from: [PetitionStatus.RESPONDED], to: PetitionStatus.CLOSED },
};

export const ACCEPTANCE_DAYS = 15;
export const RESPONSE_DAYS = 60;

const DAY_MS = 86_400_000;

export function addDays(isoInstant: string, days: number): string {
  return new Date(Date.parse(isoInstant) + days * DAY_MS).toISOString();
}

/** Overdue: the deadline of the current step has passed without the step being taken. */
export function isOverdue(
  petition: { status: PetitionStatus; acceptanceDueAt: string; responseDueAt: string | null },
  now: string,
): boolean {
  switch (petition.status) {
    case PetitionStatus.RECEIVED:
      return petition.acceptanceDueAt < now;
    case PetitionStatus.ACCEPTED:
    case PetitionStatus.ASSIGNED:
      return petition.responseDueAt !== null && petition.responseDueAt < now;
    case PetitionStatus.NOT_ACCEPTED:
    case PetitionStatus.RESPONDED:
    case PetitionStatus.CLOSED:
      return false;
    default: {
      const unreachable: never = petition.status;
      throw new Error(`unknown petition status ${String(unreachable)}`);
    }
  }
}
