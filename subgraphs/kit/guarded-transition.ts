import type { EntityManager, EntityTarget, FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { BadUserInputError, InvalidTransitionError } from '../../common/errors';
import { scopedQuery, type Jurisdiction } from './jurisdiction';
import { nextState, type StateMachine } from './state-machine';

/** A kind of record that moves through a state machine, and how errors name it. */
export interface GuardedRecord<E extends { id: string; status: S }, S extends string, A extends string> {
  entity: EntityTarget<E>;
  /** Its type name, as INVALID_TRANSITION reports it: `Incident`. */
  name: string;
  /** As `id does not name …` reads: `an incident`. */
  noun: string;
  /** Alias of its table in the scoped query; the table has `id`, `status` and `area_code`. */
  alias: string;
  machine: StateMachine<S, A>;
}

/**
 * One step of a state machine, inside `tx` (the caller's transaction, so it
 * can add to it): loads the record within the jurisdiction, refuses an action
 * its state does not allow with INVALID_TRANSITION, asks `changesFor` for the
 * other changes (which may refuse the input, after the state check), and
 * updates on condition that the status is still the one read. Of two
 * concurrent transitions from the same state only one can succeed; the other
 * fails with INVALID_TRANSITION and changes nothing.
 */
export async function applyTransition<E extends { id: string; status: S }, S extends string, A extends string>(
  tx: EntityManager,
  jurisdiction: Jurisdiction,
  kind: GuardedRecord<E, S, A>,
  id: string,
  action: A,
  changesFor: (row: E) => Partial<E>,
): Promise<E> {
  const row = await scopedQuery(tx, kind.entity, kind.alias, jurisdiction).andWhere(`${kind.alias}.id = :id`, { id }).getOne();
  if (!row) throw new BadUserInputError(`id does not name ${kind.noun}`, { field: 'id' });
  const from = row.status;
  const status = nextState(kind.machine, kind.name, from, action);
  const changes = changesFor(row);
  const where = { id, status: from } as FindOptionsWhere<E>;
  const result = await tx.update(kind.entity, where, { ...changes, status } as QueryDeepPartialEntity<E>);
  if (result.affected === 0) throw new InvalidTransitionError(kind.name, from, action);
  return Object.assign(row, changes, { status });
}
