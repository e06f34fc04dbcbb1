import type { DataSource } from 'typeorm';
import type { GovernanceContext } from '../../../common/governance-context';
import { PetitionService, type Clock } from './petition.service';

export interface PetitionsServices {
  petitions: PetitionService;
}

/** Services for one caller: every read and write stays inside its areas. */
export function createPetitionsServices(dataSource: DataSource, caller: GovernanceContext, clock?: Clock): PetitionsServices {
  return { petitions: new PetitionService(dataSource, caller, caller.department === 'petitions', clock) };
}
