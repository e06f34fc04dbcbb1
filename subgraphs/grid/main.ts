import 'reflect-metadata';
import { runSubgraph } from '../kit/main';
import { loadGridConfig } from './config';
import { grid } from './server';

void runSubgraph(grid, loadGridConfig);
