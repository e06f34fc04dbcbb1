import type { DataSource } from 'typeorm';
import type { Jurisdiction } from '../../kit/jurisdiction';
import { PetitionService, type Clock } from './petition.service';

export interface PetitionsServices {
  petitions: PetitionService;
}

/** Services for one caller: every read and write stays inside `jurisdiction`. */
export function createPetitionsServices(dataSource: DataSource, jurisdiction: Jurisdiction, clock?: Clock): PetitionsServices {
  return { petitions: new PetitionService(dataSource, jurisdiction, clock) };
}
