import type { SubgraphDefinition } from '../kit/subgraph';
import { petitionsDatabase } from './datasource';
import { createPetitionsLoaders, type PetitionsLoaders } from './loaders/petitions.loaders';
import { petitionsSchema } from './schema';
import { createPetitionsServices, type PetitionsServices } from './services';

/** 信访 petitions: petitions, their handling history, and Resident.petitions. */
export const petitions: SubgraphDefinition<PetitionsLoaders, PetitionsServices> = {
  name: 'petitions',
  database: petitionsDatabase,
  schema: petitionsSchema,
  createServices: (dataSource, caller) => createPetitionsServices(dataSource, caller),
  createLoaders: createPetitionsLoaders,
};
