import { CreateAudit1732262500000 } from './1732262500000-create-audit';
import { KeyedSubjectIndex1732262600000 } from './1732262600000-keyed-subject-index';
import { BucketedSubjectIndex1732262700000 } from './1732262700000-bucketed-subject-index';
import { SubjectPostings1732262800000 } from './1732262800000-subject-postings';
import { SubjectKeysV31732262900000 } from './1732262900000-subject-keys-v3';
import { CompactAuditRows1732263000000 } from './1732263000000-compact-audit-rows';

/** The audit trail's migrations, in order. */
export const AUDIT_MIGRATIONS = [CreateAudit1732262500000, KeyedSubjectIndex1732262600000, BucketedSubjectIndex1732262700000, SubjectPostings1732262800000, SubjectKeysV31732262900000, CompactAuditRows1732263000000];
