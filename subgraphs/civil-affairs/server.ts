import type { SubgraphDefinition } from '../kit/subgraph';
import { civilAffairsDatabase } from './datasource';
import { createCivilAffairsLoaders, type CivilAffairsLoaders } from './loaders/civil-affairs.loaders';
import { civilAffairsSchema } from './schema';
import { createCivilAffairsServices, type CivilAffairsServices } from './services';

/** 民政 civil affairs: residents, households and benefits. */
export const civilAffairs: SubgraphDefinition<CivilAffairsLoaders, CivilAffairsServices> = {
  name: 'civil-affairs',
  database: civilAffairsDatabase,
  schema: civilAffairsSchema,
  createServices: (dataSource, caller) => createCivilAffairsServices(dataSource, caller),
  createLoaders: createCivilAffairsLoaders,
};
