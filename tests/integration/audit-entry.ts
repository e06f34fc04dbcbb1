import type { AuditEntry } from '../../gateway/audit/audit-record';

/** An audit entry of a grid worker's query, request `req-<i>`, for tests of the store; override what a test is about. */
export function auditEntry(i: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: new Date(Date.UTC(2026, 10, 22, 8, 0, 0, i)).toISOString(),
    requestId: `req-${i}`,
    sub: 'w-1',
    department: 'grid',
    roles: ['grid_worker'],
    purpose: 'assistance',
    clientName: null,
    clientVersion: null,
    operationType: 'query',
    operationName: null,
    documentHash: null,
    decisions: [],
    subjects: [{ type: 'Resident', id: `r${i}` }],
    outcome: 'ok',
    status: 200,
    durationMs: 1,
    ...overrides,
  };
}
