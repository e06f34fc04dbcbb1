import { createConnectionType } from '../../kit/connection';
import { Petition } from '../entities/petition.entity';

export const PetitionConnection = createConnectionType(Petition, 'Petition', '信访事项');
export type PetitionConnection = InstanceType<typeof PetitionConnection>;
