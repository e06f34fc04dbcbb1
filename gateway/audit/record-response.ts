/**
 * When a response may leave, as far as the audit trail is concerned. A
 * response carrying non-public data leaves only once its record is
 * committed; when the trail cannot commit, the response is withheld and its
 * record (without subjects, as an error) kept for later. Other responses do
 * not wait for the trail.
 */
import { amendEntry } from './audit-entry';
import type { AuditEntry } from './audit-record';
import type { AuditStore } from './audit-store';

export type RecordVerdict = 'send' | 'withhold';

export async function recordResponse(audit: AuditStore, entry: AuditEntry, carriesNonPublic: boolean): Promise<RecordVerdict> {
  if (!carriesNonPublic) {
    audit.appendLater(entry);
    return 'send';
  }
  try {
    await audit.append(entry);
    return 'send';
  } catch {
    audit.appendLater(amendEntry(entry, { subjects: [], outcome: 'error', status: 503 }));
    return 'withhold';
  }
}
