import type { DatabaseParts } from '../../common/database/datasource';
import { Benefit } from './entities/benefit.entity';
import { Household } from './entities/household.entity';
import { Resident } from './entities/resident.entity';
import { CreateCivilAffairs1732262400000 } from './migrations/1732262400000-create-civil-affairs';

export const civilAffairsDatabase: DatabaseParts = {
  entities: [Resident, Household, Benefit],
  migrations: [CreateCivilAffairs1732262400000],
};
