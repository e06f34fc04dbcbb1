/**
 * The gateway's own database, as every program that opens it sees it: its
 * entities and its migrations, in order (grants, the audit trail, the
 * sharing workflow).
 */
import { AUDIT_MIGRATIONS } from './audit/migrations';
import { GrantRecord } from './grants/grant.entity';
import { GRANT_MIGRATIONS } from './grants/migrations';
import { CreateSharingRequests1796688000002 } from './sharing/migrations/1796688000002-create-sharing-requests';
import { SharingPartRecord, SharingRequestRecord, SharingStepRecord } from './sharing/sharing.entities';

export const GATEWAY_ENTITIES = [GrantRecord, SharingRequestRecord, SharingPartRecord, SharingStepRecord];
export const GATEWAY_MIGRATIONS = [...GRANT_MIGRATIONS, ...AUDIT_MIGRATIONS, CreateSharingRequests1796688000002];
