import type DataLoader from 'dataloader';
import { createGroupedLoader, createKeyedLoader } from '../../kit/batch-loader';
import type { SubgraphContext } from '../../kit/context';
import type { Benefit } from '../entities/benefit.entity';
import type { Household } from '../entities/household.entity';
import type { Resident } from '../entities/resident.entity';
import type { CivilAffairsServices } from '../services';

export interface CivilAffairsLoaders {
  residentById: DataLoader<string, Resident>;
  householdById: DataLoader<string, Household>;
  membersByHouseholdId: DataLoader<string, Resident[]>;
  benefitsByResidentId: DataLoader<string, Benefit[]>;
}

export type CivilAffairsContext = SubgraphContext<CivilAffairsLoaders, CivilAffairsServices>;

export function createCivilAffairsLoaders(services: CivilAffairsServices): CivilAffairsLoaders {
  return {
    residentById: createKeyedLoader(
      'Resident',
      (ids) => services.residents.findByIds(ids),
      (r) => r.id,
    ),
    householdById: createKeyedLoader(
      'Household',
      (ids) => services.residents.findHouseholdsByIds(ids),
      (h) => h.id,
    ),
    membersByHouseholdId: createGroupedLoader(
      (ids) => services.residents.findByHouseholdIds(ids),
      (r) => r.householdId ?? '',
    ),
    benefitsByResidentId: createGroupedLoader(
      (ids) => services.benefits.findByResidentIds(ids),
      (b) => b.residentId,
    ),
  };
}
