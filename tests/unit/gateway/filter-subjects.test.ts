import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { projectRoot } from '../../../common/project-root';
import { readCatalog } from '../../../gateway/access/catalog';
import { sandboxGrants } from '../../../gateway/access/grants';
import { Governor, type ExecutedResult } from '../../../gateway/access/governor';
import { createMaskers } from '../../../gateway/access/maskers';
import type { Caller } from '../../../gateway/access/policy';
import { readGraphQLRequest } from '../../../gateway/request/graphql-request';

const supergraph = readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');
const { catalog, reveals } = readCatalog(supergraph);
const governor = new Governor({
  catalog,
  reveals,
  grants: { current: () => ({ grants: sandboxGrants(new Date(Date.now() - 1000)), version: 'v1' }) },
  maskers: createMaskers(Buffer.alloc(32)),
  strict: false,
});
governor.useSchema(buildSchema(supergraph, { assumeValidSDL: true }));

const GRID_WORKER: Caller = { department: 'grid', roles: ['grid_worker'] };
const OFFICER: Caller = { department: 'civil-affairs', roles: ['officer'] };

/** Governs `query` with `variables`, then shapes `data` as the subgraphs would have answered the filtered text. */
function run(caller: Caller, query: string, variables: Record<string, unknown>, data: (filtered: string) => Record<string, unknown>) {
  const governed = governor.govern(readGraphQLRequest({ query, variables }), caller, 'assistance')!;
  const result: ExecutedResult = { data: data(governed.query) };
  const shaped = governor.shapeResponse(result, governed.sharing);
  return {
    filtered: governed.query,
    data: result.data,
    subjects: Object.fromEntries([...shaped.subjects].map(([t, ids]) => [t, [...ids]])),
    held: shaped.carriesNonPublic,
  };
}

describe('a filter by a non-public field, used by a caller who may use it', () => {
  const BY_TYPE = 'query ($t: BenefitType) { residents(filter: { benefitType: $t }) { totalCount nodes { id gender } } }';
  const nodes = {
    residents: {
      totalCount: 2,
      nodes: [
        { id: 'r1', gender: 'MALE' },
        { id: 'r2', gender: 'FEMALE' },
      ],
    },
  };

  it('makes the residents it returns data subjects, and the response one that waits for its record, though only public fields are returned', () => {
    const shaped = run(GRID_WORKER, BY_TYPE, { t: 'EXTREME_POVERTY_SUPPORT' }, () => structuredClone(nodes));
    expect(shaped).toEqual({ filtered: expect.any(String), data: nodes, subjects: { Resident: ['r1', 'r2'] }, held: true });
  });

  it('records nothing when the request leaves the filter unset or null', () => {
    for (const variables of [{}, { t: null }]) {
      expect(run(GRID_WORKER, BY_TYPE, variables, () => structuredClone(nodes))).toMatchObject({ subjects: {}, held: false });
    }
  });

  it('asks for the id under the gateway key where the client did not, and removes it from the answer', () => {
    const shaped = run(GRID_WORKER, '{ residents(filter: { name: "张三" }) { nodes { gender } } }', {}, (filtered) => {
      expect(filtered).toContain('__govgraph_key: id');
      return { residents: { nodes: [{ gender: 'MALE', __govgraph_key: 'r7' }] } };
    });
    expect(shaped).toMatchObject({ data: { residents: { nodes: [{ gender: 'MALE' }] } }, subjects: { Resident: ['r7'] }, held: true });
  });

  it('counts the residents the filter chose, not the household members returned beside them', () => {
    const query = '{ residents(filter: { name: "张三" }) { nodes { id household { members { id gender } } } } }';
    const shaped = run(OFFICER, query, {}, () => ({
      residents: {
        nodes: [
          {
            id: 'r7',
            household: {
              members: [
                { id: 'r7', gender: 'MALE' },
                { id: 'r8', gender: 'FEMALE' },
              ],
            },
          },
        ],
      },
    }));
    expect(shaped.subjects).toEqual({ Resident: ['r7'] });
  });

  it('counts them for the owning department too: its staff filtering by name read names', () => {
    expect(run(OFFICER, BY_TYPE, { t: 'DISABILITY_ALLOWANCE' }, () => structuredClone(nodes)).subjects).toEqual({ Resident: ['r1', 'r2'] });
  });

  it('leaves a filter by public fields alone', () => {
    const shaped = run(GRID_WORKER, '{ residents(filter: { areaCode: "610921" }) { nodes { id gender } } }', {}, () =>
      structuredClone(nodes),
    );
    expect(shaped).toMatchObject({ subjects: {}, held: false });
  });
});
