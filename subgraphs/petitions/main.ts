import 'reflect-metadata';
import { runSubgraph } from '../kit/main';
import { loadPetitionsConfig } from './config';
import { petitions } from './server';

void runSubgraph(petitions, loadPetitionsConfig);
