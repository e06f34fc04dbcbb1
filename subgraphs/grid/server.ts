import type { SubgraphDefinition } from '../kit/subgraph';
import { gridDatabase } from './datasource';
import { createGridLoaders, type GridLoaders } from './loaders/grid.loaders';
import { gridSchema } from './schema';
import { createGridServices, type GridServices } from './services';

/** 网格 grid: cells, workers, the resident registry, visits and incidents. */
export const grid: SubgraphDefinition<GridLoaders, GridServices> = {
  name: 'grid',
  database: gridDatabase,
  schema: gridSchema,
  createServices: (dataSource, caller) => createGridServices(dataSource, caller),
  createLoaders: createGridLoaders,
};
