import 'reflect-metadata';
import { runSubgraph } from '../kit/main';
import { loadCivilAffairsConfig } from './config';
import { civilAffairs } from './server';

void runSubgraph(civilAffairs, loadCivilAffairsConfig);
