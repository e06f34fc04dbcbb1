import type { DatabaseParts } from '../../common/database/datasource';
import { Petition } from './entities/petition.entity';
import { PetitionStep } from './entities/petition-step.entity';
import { CreatePetitions1732262400000 } from './migrations/1732262400000-create-petitions';

export const petitionsDatabase: DatabaseParts = {
  entities: [Petition, PetitionStep],
  migrations: [CreatePetitions1732262400000],
};
