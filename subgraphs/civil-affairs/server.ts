import { kitDepartment } from '../kit/department';
import { defineSubgraph } from '../kit/subgraph';
import { civilAffairsDatabase } from './datasource';
import { createCivilAffairsLoaders } from './loaders/civil-affairs.loaders';
import { civilAffairsSchema } from './schema';
import { createCivilAffairsServices } from './services';
import { seedCivilAffairs } from './seed/civil-affairs.seed';

/** 民政 civil affairs: residents, households and benefits. */
export const subgraph = defineSubgraph(
  'civil-affairs',
  civilAffairsDatabase,
  civilAffairsSchema,
  createCivilAffairsServices,
  createCivilAffairsLoaders,
);

export const department = kitDepartment(subgraph, seedCivilAffairs);
