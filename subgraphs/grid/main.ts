import 'reflect-metadata';
import { runSubgraph } from '../kit/main';
import { subgraph } from './server';

void runSubgraph(subgraph);
