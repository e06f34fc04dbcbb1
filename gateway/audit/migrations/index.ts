import { CreateAuditTrail1732262500000 } from './1732262500000-create-audit-trail';
import { CreateWriteProbe1796515200000 } from './1796515200000-create-write-probe';
import { AddRequestOrigin1796601600000 } from './1796601600000-add-request-origin';
import { AddSharingSteps1796688000001 } from './1796688000001-add-sharing-steps';
import { CreateVerificationRecord1796688000003 } from './1796688000003-create-verification-record';

/** The audit trail's migrations, in order. */
export const AUDIT_MIGRATIONS = [
  CreateAuditTrail1732262500000,
  CreateWriteProbe1796515200000,
  AddRequestOrigin1796601600000,
  AddSharingSteps1796688000001,
  CreateVerificationRecord1796688000003,
];
