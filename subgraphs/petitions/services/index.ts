import type { DataSource } from 'typeorm';
import { PetitionService, type Clock } from './petition.service';

export interface PetitionsServices {
  petitions: PetitionService;
}

export function createPetitionsServices(dataSource: DataSource, clock?: Clock): PetitionsServices {
  return { petitions: new PetitionService(dataSource, clock) };
}
