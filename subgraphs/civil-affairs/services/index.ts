import type { DataSource } from 'typeorm';
import type { Jurisdiction } from '../../kit/jurisdiction';
import { BenefitService } from './benefit.service';
import { ResidentService } from './resident.service';

export interface CivilAffairsServices {
  residents: ResidentService;
  benefits: BenefitService;
}

/** Services for one caller: every read and write stays inside `jurisdiction`. */
export function createCivilAffairsServices(dataSource: DataSource, jurisdiction: Jurisdiction): CivilAffairsServices {
  return { residents: new ResidentService(dataSource, jurisdiction), benefits: new BenefitService(dataSource, jurisdiction) };
}
