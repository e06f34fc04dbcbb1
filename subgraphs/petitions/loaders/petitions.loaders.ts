import type DataLoader from 'dataloader';
import { createGroupedLoader, createKeyedLoader } from '../../kit/batch-loader';
import type { SubgraphContext } from '../../kit/context';
import type { Petition } from '../entities/petition.entity';
import type { PetitionStep } from '../entities/petition-step.entity';
import type { PetitionsServices } from '../services';

export interface PetitionsLoaders {
  petitionById: DataLoader<string, Petition>;
  petitionsByPetitionerId: DataLoader<string, Petition[]>;
  stepsByPetitionId: DataLoader<string, PetitionStep[]>;
}

export type PetitionsContext = SubgraphContext<PetitionsLoaders, PetitionsServices>;

export function createPetitionsLoaders(services: PetitionsServices): PetitionsLoaders {
  return {
    petitionById: createKeyedLoader(
      'Petition',
      (ids) => services.petitions.findByIds(ids),
      (p) => p.id,
    ),
    petitionsByPetitionerId: createGroupedLoader(
      (ids) => services.petitions.findByPetitionerIds(ids),
      (p) => p.petitionerId,
    ),
    stepsByPetitionId: createGroupedLoader(
      (ids) => services.petitions.findStepsByPetitionIds(ids),
      (s) => s.petitionId,
    ),
  };
}
