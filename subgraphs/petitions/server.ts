import { kitDepartment } from '../kit/department';
import { defineSubgraph } from '../kit/subgraph';
import { petitionsDatabase } from './datasource';
import { createPetitionsLoaders } from './loaders/petitions.loaders';
import { petitionsSchema } from './schema';
import { createPetitionsServices } from './services';
import { seedPetitions } from './seed/petitions.seed';

/** 信访 petitions: petitions, their handling history, and Resident.petitions. */
export const subgraph = defineSubgraph('petitions', petitionsDatabase, petitionsSchema, createPetitionsServices, createPetitionsLoaders);

export const department = kitDepartment(subgraph, seedPetitions);
