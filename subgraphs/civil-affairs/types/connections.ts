import { createConnectionType } from '../../kit/connection';
import { Resident } from '../entities/resident.entity';

export const ResidentConnection = createConnectionType(Resident, 'Resident', '居民');
export type ResidentConnection = InstanceType<typeof ResidentConnection>;
