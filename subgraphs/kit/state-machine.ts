import { InvalidTransitionError } from '../../common/errors';

/** A closed state machine: `action` is allowed only from the states listed for it. */
export type StateMachine<S extends string, A extends string> = Readonly<Record<A, { from: readonly S[]; to: S }>>;

/** The state after `action`, or INVALID_TRANSITION naming the entity, state and action. */
export function nextState<S extends string, A extends string>(machine: StateMachine<S, A>, entity: string, current: S, action: A): S {
  const rule = machine[action];
  if (!rule.from.includes(current)) throw new InvalidTransitionError(entity, current, action);
  return rule.to;
}
