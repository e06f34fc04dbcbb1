import type { EntityManager } from 'typeorm';
import { BadUserInputError } from '../../../common/errors';
import { ForbiddenOperationError, scopedQuery, type Jurisdiction } from '../../kit/jurisdiction';
import { GridWorker } from '../entities/grid-worker.entity';

/** The caller as the gateway vouches for it: who, in which department and roles, over which areas. */
export interface GridCaller extends Jurisdiction {
  readonly sub: string;
  readonly department: string;
  readonly roles: readonly string[];
}

/**
 * The worker a visit or an incident is recorded under. A grid worker's
 * account is its worker record: the token's `sub` is its `GridWorker.id`, so
 * a worker records as itself and never as anyone else. A grid officer may
 * record on a worker's behalf (the worker named in the input), as the
 * grid office does for reports phoned in; either way the worker lies in the
 * caller's areas.
 */
export async function actingWorker(
  tx: EntityManager,
  caller: GridCaller,
  named: string | null | undefined,
  field: string,
): Promise<string> {
  const onBehalf = named !== null && named !== undefined && named !== caller.sub;
  if (onBehalf && !isGridOfficer(caller)) {
    throw new ForbiddenOperationError(`${field} must be your own: a grid worker records as itself (leave ${field} out)`);
  }
  const worker = onBehalf ? named : caller.sub;
  if (await scopedQuery(tx, GridWorker, 'w', caller).andWhere('w.id = :id', { id: worker }).getExists()) return worker;
  if (onBehalf) throw new BadUserInputError(`${field} does not name a grid worker`, { field });
  throw new ForbiddenOperationError(
    `Your account is not a grid worker in your areas; only a grid officer may name another worker in ${field}`,
  );
}

function isGridOfficer(caller: GridCaller): boolean {
  return caller.department === 'grid' && caller.roles.includes('officer');
}
