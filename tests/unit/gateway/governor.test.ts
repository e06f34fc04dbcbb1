import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { projectRoot } from '../../../common/project-root';
import { readCatalog } from '../../../gateway/access/catalog';
import { sandboxGrants, type GrantSource } from '../../../gateway/access/grants';
import { Governor } from '../../../gateway/access/governor';
import { createMaskers } from '../../../gateway/access/maskers';
import type { Caller, Grant } from '../../../gateway/access/policy';
import { readGraphQLRequest } from '../../../gateway/request/graphql-request';

const supergraph = readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');

describe('decisions cached per operation and caller class', () => {
  let grants: { grants: readonly Grant[]; version: string };
  const source: GrantSource = { current: () => grants };
  const governor = new Governor({
    catalog: readCatalog(supergraph).catalog,
    grants: source,
    maskers: createMaskers(Buffer.alloc(32)),
    strict: false,
  });
  governor.useSchema(buildSchema(supergraph, { assumeValidSDL: true }));
  const body = { query: '{ residents(first: 2) { nodes { name idNumber careLevel } } }' };
  const gridWorker = { department: 'grid', roles: ['grid_worker'] };
  const govern = (request: unknown, caller: Caller, purpose: string): string =>
    governor.govern(readGraphQLRequest(request), caller, purpose)!.query;
  const counts = () => {
    const { hits, misses } = governor.decisionCacheStats();
    return { hits, misses };
  };

  beforeEach(() => {
    grants = { grants: sandboxGrants(new Date(Date.now() - 1000)), version: 'v1' };
  });

  it('reuses the filtered operation for another caller of the same class', () => {
    const before = counts();
    const first = govern(body, gridWorker, 'assistance');
    const second = govern(body, { department: 'grid', roles: ['grid_worker'] }, 'assistance');
    expect(second).toBe(first);
    expect(counts()).toEqual({ hits: before.hits + 1, misses: before.misses + 1 });
  });

  it('decides afresh for another purpose, department, role or grant set, and the filtered text differs where decisions do', () => {
    const assistance = govern(body, gridWorker, 'assistance');
    const misses = counts().misses;
    const statistics = govern(body, gridWorker, 'statistics');
    const officer = govern(body, { department: 'civil-affairs', roles: ['officer'] }, 'assistance');
    govern(body, { department: 'grid', roles: ['grid_worker', 'steward'] }, 'assistance');
    grants = { grants: [], version: 'v2' };
    const withoutGrants = govern(body, gridWorker, 'assistance');
    expect(counts().misses).toBe(misses + 4);
    expect(assistance).toMatch(/\bname\b/);
    expect(statistics).not.toMatch(/\bname\b/);
    expect(officer).toContain('idNumber');
    expect(withoutGrants).not.toMatch(/\bname\b/);
  });

  it('never lets role text make one caller class read as another', () => {
    // Joined with commas, a single role "analyst,steward" would name the class of a steward who is also an analyst.
    const audit = { query: '{ auditEvents(first: 1) { nodes { seq operationName } } }' };
    const steward = govern(audit, { department: 'data-office', roles: ['steward', 'analyst'] }, 'supervision');
    const misses = counts().misses;
    const oneOddRole = govern(audit, { department: 'data-office', roles: ['analyst,steward'] }, 'supervision');
    expect(counts().misses).toBe(misses + 1);
    expect(steward).toContain('operationName');
    expect(oneOddRole).not.toContain('operationName');
  });

  it('caches the decisions for a document too long to keep parsed, and tells two such documents apart', () => {
    const padding = ` ${'#'.repeat(10_001)}\n`;
    const long = { query: `{ residents(first: 2) { nodes { name idNumber } } }${padding}` };
    const other = { query: `{ residents(first: 2) { nodes { id } } }${padding}` };
    const first = govern(long, gridWorker, 'assistance');
    const before = counts();
    expect(govern({ ...long }, gridWorker, 'assistance')).toBe(first);
    expect(govern(other, gridWorker, 'assistance')).not.toContain('name');
    expect(counts()).toEqual({ hits: before.hits + 1, misses: before.misses + 1 });
  });
});

describe('cached decisions and the grants they rely on', () => {
  it('decides again once a grant it relied on has ended, even before the grant set is re-read', () => {
    let now = new Date('2026-06-01T00:00:00.000Z');
    const g1 = { ...sandboxGrants(new Date('2026-01-01T00:00:00.000Z'))[0]!, validUntil: '2026-06-01T00:00:10.000Z' };
    const source: GrantSource = { current: () => ({ grants: [g1], version: 'unchanged' }) };
    const governor = new Governor({
      catalog: readCatalog(supergraph).catalog,
      grants: source,
      maskers: createMaskers(Buffer.alloc(32)),
      strict: false,
      clock: () => now,
    });
    governor.useSchema(buildSchema(supergraph, { assumeValidSDL: true }));
    const body = { query: '{ residents(first: 1) { nodes { name } } }' };
    const worker = { department: 'grid', roles: ['grid_worker'] };
    expect(governor.govern(readGraphQLRequest(body), worker, 'assistance')!.query).toMatch(/\bname\b/);
    now = new Date('2026-06-01T00:00:11.000Z');
    expect(governor.govern(readGraphQLRequest(body), worker, 'assistance')!.query).not.toMatch(/\bname\b/);
  });
});
