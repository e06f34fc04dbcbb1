import { kitDepartment } from '../kit/department';
import { defineSubgraph } from '../kit/subgraph';
import { gridDatabase } from './datasource';
import { createGridLoaders } from './loaders/grid.loaders';
import { gridSchema } from './schema';
import { createGridServices } from './services';
import { seedGrid } from './seed/grid.seed';

/** 网格 grid: cells, workers, the resident registry, visits and incidents. */
export const subgraph = defineSubgraph('grid', gridDatabase, gridSchema, createGridServices, createGridLoaders);

export const department = kitDepartment(subgraph, seedGrid);
