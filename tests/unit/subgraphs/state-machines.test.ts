import { InvalidTransitionError } from '../../../common/errors';
import { BENEFIT_MACHINE } from '../../../subgraphs/civil-affairs/domain/benefit.machine';
import { BenefitStatus } from '../../../subgraphs/civil-affairs/entities/enums';
import { INCIDENT_MACHINE } from '../../../subgraphs/grid/domain/incident.machine';
import { IncidentStatus } from '../../../subgraphs/grid/entities/enums';
import { nextState, type StateMachine } from '../../../subgraphs/kit/state-machine';
import { isOverdue, PETITION_MACHINE } from '../../../subgraphs/petitions/domain/petition.machine';
import { PetitionStatus } from '../../../subgraphs/petitions/entities/enums';

/** Every (state, action) pair: the expected next state, or null where the machine refuses. */
function table<S extends string, A extends string>(states: readonly S[], allowed: Record<A, Partial<Record<S, S>>>) {
  return states.flatMap((state) => (Object.keys(allowed) as A[]).map((action) => [state, action, allowed[action][state] ?? null] as const));
}

function check<S extends string, A extends string>(machine: StateMachine<S, A>, entity: string, state: S, action: A, expected: S | null) {
  if (expected) {
    expect(nextState(machine, entity, state, action)).toBe(expected);
  } else {
    expect(() => nextState(machine, entity, state, action)).toThrow(InvalidTransitionError);
    expect(() => nextState(machine, entity, state, action)).toThrow(`${entity} in status ${state} cannot be ${action}`);
  }
}

describe('the petition state machine (RECEIVED → ACCEPTED | NOT_ACCEPTED; ACCEPTED → ASSIGNED → RESPONDED → CLOSED)', () => {
  const S = PetitionStatus;
  it.each(
    table(Object.values(S), {
      accepted: { [S.RECEIVED]: S.ACCEPTED },
      rejected: { [S.RECEIVED]: S.NOT_ACCEPTED },
      assigned: { [S.ACCEPTED]: S.ASSIGNED },
      responded: { [S.ASSIGNED]: S.RESPONDED },
      closed: { [S.RESPONDED]: S.CLOSED },
    }),
  )('from %s, %s → %s', (state, action, expected) => check(PETITION_MACHINE, 'Petition', state, action, expected));
});

describe('the incident state machine (REPORTED → DISPATCHED → RESOLVED)', () => {
  const S = IncidentStatus;
  it.each(table(Object.values(S), { dispatched: { [S.REPORTED]: S.DISPATCHED }, resolved: { [S.DISPATCHED]: S.RESOLVED } }))(
    'from %s, %s → %s',
    (state, action, expected) => check(INCIDENT_MACHINE, 'Incident', state, action, expected),
  );
});

describe('the benefit state machine', () => {
  const S = BenefitStatus;
  it.each(table(Object.values(S), { ended: { [S.ACTIVE]: S.ENDED, [S.SUSPENDED]: S.ENDED } }))(
    'from %s, %s → %s',
    (state, action, expected) => check(BENEFIT_MACHINE, 'Benefit', state, action, expected),
  );
});

describe('overdue petitions', () => {
  const now = '2026-06-01T00:00:00.000Z';
  const before = '2026-05-31T23:59:59.999Z';
  const after = '2026-06-01T00:00:00.001Z';
  it.each<[PetitionStatus, string, string | null, boolean]>([
    [PetitionStatus.RECEIVED, before, null, true],
    [PetitionStatus.RECEIVED, after, null, false],
    [PetitionStatus.ACCEPTED, before, before, true],
    [PetitionStatus.ACCEPTED, before, after, false],
    [PetitionStatus.ASSIGNED, before, before, true],
    [PetitionStatus.RESPONDED, before, before, false],
    [PetitionStatus.CLOSED, before, before, false],
    [PetitionStatus.NOT_ACCEPTED, before, null, false],
  ])('%s with acceptance due %s and response due %s is overdue: %s', (status, acceptanceDueAt, responseDueAt, expected) => {
    expect(isOverdue({ status, acceptanceDueAt, responseDueAt }, now)).toBe(expected);
  });
});
