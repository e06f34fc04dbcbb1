import { CreateAuditTrail1732262500000 } from './1732262500000-create-audit-trail';
import { CreateWriteProbe1796515200000 } from './1796515200000-create-write-probe';
import { AddRequestOrigin1796601600000 } from './1796601600000-add-request-origin';

/** The audit trail's migrations, in order. */
export const AUDIT_MIGRATIONS = [CreateAuditTrail1732262500000, CreateWriteProbe1796515200000, AddRequestOrigin1796601600000];
