import { CreateAuditTrail1732262500000 } from './1732262500000-create-audit-trail';

/** The audit trail's migrations, in order. */
export const AUDIT_MIGRATIONS = [CreateAuditTrail1732262500000];
