import { defineSubgraph } from '../kit/subgraph';
import { petitionsDatabase } from './datasource';
import { createPetitionsLoaders } from './loaders/petitions.loaders';
import { petitionsSchema } from './schema';
import { createPetitionsServices } from './services';

/** 信访 petitions: petitions, their handling history, and Resident.petitions. */
export const subgraph = defineSubgraph('petitions', petitionsDatabase, petitionsSchema, createPetitionsServices, createPetitionsLoaders);
