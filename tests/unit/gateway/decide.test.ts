import { decideField, decideInCatalog, decideMutation, isGrantActive } from '../../../gateway/access/decide';
import type { Decision, FieldPolicy, Grant } from '../../../gateway/access/policy';

const NOW = '2026-11-22T00:00:00.000Z';
const policy = (coordinate: string, sharing: FieldPolicy['sharing'], extra: Partial<FieldPolicy> = {}): FieldPolicy => ({
  coordinate,
  owners: ['civil-affairs'],
  sharing,
  ...extra,
});
const G1: Grant = {
  id: 'G1',
  consumer: 'grid',
  fields: ['Resident.name', 'Resident.idNumber', 'Resident.careless'],
  purposes: ['assistance'],
  masked: ['Resident.idNumber', 'Resident.careless'],
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
};
const gridWorker = { department: 'grid', roles: ['grid_worker'] };

describe('deciding one field for one caller and purpose', () => {
  it.each<[string, FieldPolicy | undefined, { department: string; roles: string[] }, string, Grant[], Decision]>([
    [
      'unclassified: denied to everyone, owners included',
      undefined,
      { department: 'civil-affairs', roles: ['officer'] },
      'service',
      [G1],
      { action: 'DENY', reason: 'UNCLASSIFIED' },
    ],
    [
      'the owner, whatever the sharing and purpose',
      policy('Benefit.monthlyAmount', 'NONE'),
      { department: 'civil-affairs', roles: ['analyst'] },
      'statistics',
      [],
      { action: 'ALLOW', reason: 'OWNER' },
    ],
    [
      'UNCONDITIONAL to another department',
      policy('Resident.gender', 'UNCONDITIONAL'),
      gridWorker,
      'statistics',
      [],
      { action: 'ALLOW', reason: 'UNCONDITIONAL' },
    ],
    [
      'NONE to another department, even with a grant naming it',
      policy('Benefit.monthlyAmount', 'NONE'),
      gridWorker,
      'assistance',
      [{ ...G1, fields: ['Benefit.monthlyAmount'] }],
      { action: 'DENY', reason: 'NOT_SHARED' },
    ],
    [
      'CONDITIONAL with a grant for this field and purpose',
      policy('Resident.name', 'CONDITIONAL', { masker: 'NAME' }),
      gridWorker,
      'assistance',
      [G1],
      { action: 'ALLOW', reason: 'GRANTED', grant: 'G1' },
    ],
    [
      'CONDITIONAL that the grant says to mask',
      policy('Resident.idNumber', 'CONDITIONAL', { masker: 'ID_NUMBER' }),
      gridWorker,
      'assistance',
      [G1],
      { action: 'MASK', reason: 'GRANTED', masker: 'ID_NUMBER', grant: 'G1' },
    ],
    [
      'CONDITIONAL to be masked without a masker: fail closed',
      policy('Resident.careless', 'CONDITIONAL'),
      gridWorker,
      'assistance',
      [G1],
      { action: 'DENY', reason: 'NO_MASKER', grant: 'G1' },
    ],
    [
      'CONDITIONAL for another purpose',
      policy('Resident.name', 'CONDITIONAL', { masker: 'NAME' }),
      gridWorker,
      'statistics',
      [G1],
      { action: 'DENY', reason: 'NO_GRANT' },
    ],
    [
      'CONDITIONAL for another department',
      policy('Resident.name', 'CONDITIONAL'),
      { department: 'petitions', roles: ['officer'] },
      'assistance',
      [G1],
      { action: 'DENY', reason: 'NO_GRANT' },
    ],
    [
      'CONDITIONAL not listed in the grant',
      policy('Resident.phone', 'CONDITIONAL'),
      gridWorker,
      'assistance',
      [G1],
      { action: 'DENY', reason: 'NO_GRANT' },
    ],
    [
      'CONDITIONAL under an expired grant',
      policy('Resident.name', 'CONDITIONAL'),
      gridWorker,
      'assistance',
      [{ ...G1, validUntil: '2026-11-21T23:59:59.999Z' }],
      { action: 'DENY', reason: 'NO_GRANT' },
    ],
    [
      'CONDITIONAL under a grant not yet valid',
      policy('Resident.name', 'CONDITIONAL'),
      gridWorker,
      'assistance',
      [{ ...G1, validFrom: '2026-11-22T00:00:00.001Z' }],
      { action: 'DENY', reason: 'NO_GRANT' },
    ],
    [
      'CONDITIONAL under a revoked grant',
      policy('Resident.name', 'CONDITIONAL'),
      gridWorker,
      'assistance',
      [{ ...G1, revokedAt: '2026-11-01T00:00:00.000Z' }],
      { action: 'DENY', reason: 'NO_GRANT' },
    ],
    [
      'a steward field to a steward of any department',
      policy('Query.auditEvents', 'NONE', { owners: ['audit'], roles: ['steward'] }),
      { department: 'data-office', roles: ['steward'] },
      'supervision',
      [],
      { action: 'ALLOW', reason: 'ROLE' },
    ],
    [
      'a steward field to anyone else, owners included',
      policy('Query.auditEvents', 'NONE', { roles: ['steward'] }),
      { department: 'civil-affairs', roles: ['officer'] },
      'supervision',
      [],
      { action: 'DENY', reason: 'ROLE_REQUIRED' },
    ],
    [
      'CONDITIONAL with no grants at all',
      policy('Resident.name', 'CONDITIONAL'),
      gridWorker,
      'assistance',
      [],
      { action: 'DENY', reason: 'NO_GRANT' },
    ],
  ])('%s', (_case, fieldPolicy, caller, purpose, grants, expected) => {
    expect(decideField(fieldPolicy, caller, purpose, grants, NOW)).toEqual(expected);
  });

  it('uses the first active grant that covers the field', () => {
    const expired = { ...G1, id: 'OLD', validUntil: '2026-01-02T00:00:00.000Z', masked: [] };
    expect(decideField(policy('Resident.name', 'CONDITIONAL'), gridWorker, 'assistance', [expired, G1], NOW)).toMatchObject({
      grant: 'G1',
    });
  });

  it.each([
    ['revoked later than now: still active', { revokedAt: '2026-12-01T00:00:00.000Z' }, true],
    ['revoked exactly now: inactive', { revokedAt: NOW }, false],
    ['ends exactly now: inactive', { validUntil: NOW }, false],
    ['starts exactly now: active', { validFrom: NOW }, true],
  ])('a grant %s', (_case, change, active) => {
    expect(isGrantActive({ ...G1, ...change }, NOW)).toBe(active);
  });
});

describe('deciding a mutation', () => {
  const register = policy('Mutation.registerResident', 'NONE', { roles: ['officer'] });
  it.each([
    [
      'the owning department with the named role',
      { department: 'civil-affairs', roles: ['officer'] },
      { action: 'ALLOW', reason: 'MUTATION_BY_OWNER' },
    ],
    [
      'the owning department without the role',
      { department: 'civil-affairs', roles: ['analyst'] },
      { action: 'DENY', reason: 'MUTATION_NOT_ALLOWED' },
    ],
    ['another department with the role', { department: 'grid', roles: ['officer'] }, { action: 'DENY', reason: 'MUTATION_NOT_ALLOWED' }],
  ])('%s', (_case, caller, expected) => {
    expect(decideMutation(register, caller)).toEqual(expected);
  });

  it('denies an unclassified mutation', () => {
    expect(decideMutation(undefined, { department: 'civil-affairs', roles: ['officer'] })).toEqual({
      action: 'DENY',
      reason: 'UNCLASSIFIED',
    });
  });
});

describe('what the query planner fetches beyond the fields an operation names', () => {
  const consumer = { department: 'statistics', roles: ['analyst'] };
  const grant = (fields: string[]): Grant => ({
    id: 'GX',
    consumer: 'statistics',
    fields,
    purposes: ['statistics'],
    masked: [],
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2027-01-01T00:00:00.000Z',
  });
  const together = ['Person.balance', 'Bot.balance'];
  const catalog = new Map<string, FieldPolicy>([
    ['Person.balance', policy('Person.balance', 'CONDITIONAL', { owners: ['billing'], resolvedTogether: together })],
    ['Bot.balance', policy('Bot.balance', 'CONDITIONAL', { owners: ['billing'], resolvedTogether: together })],
    ['Book.pages', policy('Book.pages', 'CONDITIONAL', { owners: ['library'] })],
    ['Book.readingMinutes', policy('Book.readingMinutes', 'UNCONDITIONAL', { owners: ['ratings'], requires: ['Book.pages'] })],
  ]);
  const decide = (coordinate: string, grants: Grant[]) => decideInCatalog(catalog, coordinate, consumer, 'statistics', grants, NOW);

  it('denies a field an interface object adds on every implementation when one of them is denied', () => {
    expect(decide('Person.balance', [grant(['Person.balance'])])).toEqual({ action: 'DENY', reason: 'DENIED_FOR_ANOTHER_TYPE' });
    expect(decide('Person.balance', [grant(together)])).toMatchObject({ action: 'ALLOW', grant: 'GX' });
  });

  it('denies a field whose subgraph requires one the caller may not see, and allows it once that one is granted', () => {
    expect(decide('Book.readingMinutes', [])).toEqual({ action: 'DENY', reason: 'REQUIRES_DENIED_FIELD' });
    expect(decide('Book.readingMinutes', [grant(['Book.pages'])])).toEqual({ action: 'ALLOW', reason: 'UNCONDITIONAL' });
  });
});
