import type { DataSource } from 'typeorm';
import { BenefitService } from './benefit.service';
import { ResidentService } from './resident.service';

export interface CivilAffairsServices {
  residents: ResidentService;
  benefits: BenefitService;
}

export function createCivilAffairsServices(dataSource: DataSource): CivilAffairsServices {
  return { residents: new ResidentService(dataSource), benefits: new BenefitService(dataSource) };
}
