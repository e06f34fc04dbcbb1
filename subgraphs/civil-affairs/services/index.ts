import type { DataSource } from 'typeorm';
import type { GovernanceContext } from '../../../common/governance-context';
import { BenefitService } from './benefit.service';
import { ResidentService } from './resident.service';

export interface CivilAffairsServices {
  residents: ResidentService;
  benefits: BenefitService;
}

/** Services for one caller: every read and write stays inside the caller's areas. */
export function createCivilAffairsServices(dataSource: DataSource, caller: GovernanceContext): CivilAffairsServices {
  return {
    residents: new ResidentService(dataSource, caller),
    benefits: new BenefitService(dataSource, caller, caller.department === 'civil-affairs'),
  };
}
