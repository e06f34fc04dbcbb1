import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import { projectRoot } from '../../../common/project-root';
import { DEFAULT_LIST_SIZE, estimateCost, LIST_SIZES } from '../../../gateway/access/cost';
import { budgetFor, DEFAULT_COST_BUDGET, readCostBudgets } from '../../../gateway/cost-budgets';
import { AGGREGATES, CASE_FILE, CELL_LIST, MEANS_CHECK, RECORD_VISIT, RESIDENT_PAGE, RESIDENT_SEARCH } from '../../../bench/queries';

const schema = buildSchema(readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8'), { assumeValidSDL: true });
const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  estimateCost(schema, parse(query), operationName, variables);

describe('the static cost estimate', () => {
  it('counts each field once per object it is resolved on, the list sizes from first', () => {
    // residents (a query: 10) + nodes (1) + name on each of `first` residents.
    expect(cost('{ residents(first: 10) { nodes { name } } }')).toBe(10 + 1 + 10);
    expect(cost('{ residents(first: 100) { nodes { name } } }')).toBe(10 + 1 + 100);
    expect(cost('query ($n: Int!) { residents(first: $n) { nodes { name } } }', { n: 50 })).toBe(10 + 1 + 50);
    // The argument's default when it is not given (20).
    expect(cost('{ residents { nodes { name } } }')).toBe(10 + 1 + 20);
  });

  it('counts aliases one by one and fragments where they are spread', () => {
    const one = cost('{ residents(first: 5) { totalCount } }');
    // The search and its count: a query each.
    expect(one).toBe(10 + 10);
    expect(cost('{ a: residents(first: 5) { totalCount } b: residents(first: 5) { totalCount } }')).toBe(2 * one);
    expect(cost('{ residents(first: 5) { nodes { ...R ...R } } } fragment R on Resident { name phone }')).toBe(
      cost('{ residents(first: 5) { nodes { name phone name phone } } }'),
    );
    expect(
      cost('query A { residents(first: 5) { totalCount } } query B { benefitSummary(areaCode: "610921") { activeCount } }', {}, 'B'),
    ).toBe(10 + 1);
  });

  it('sizes a plain list by what the model assumes for it, or the default', () => {
    const household = cost(`{ household(id: "h") { __typename } }`);
    expect(cost('{ household(id: "h") { members { name } } }') - household).toBe(1 + LIST_SIZES['Household.members']!);
    expect(cost('{ gridCell(id: "c") { residents(first: 7) { id } } }') - cost(`{ gridCell(id: "c") { __typename } }`)).toBe(10 + 7);
    expect(cost('{ gridCells(first: 1) { nodes { worker { cells { code } } } } }')).toBe(10 + 1 + 1 + 1 + LIST_SIZES['GridWorker.cells']!);
    expect(DEFAULT_LIST_SIZE).toBeGreaterThan(0);
  });

  it('keeps every operation of the benchmark within the default budget, and the attacks found far over it', () => {
    const legitimate = [
      cost(CELL_LIST),
      cost(CASE_FILE),
      cost(RESIDENT_SEARCH, { first: 100 }),
      cost(RESIDENT_PAGE, { first: 100 }),
      cost(MEANS_CHECK),
      cost(AGGREGATES),
      cost(RECORD_VISIT),
    ];
    for (const estimate of legitimate) expect(estimate).toBeLessThan(DEFAULT_COST_BUDGET / 2);
    const attacks = [
      '{gridCells(first:100){nodes{residents{household{members{name benefits{type}}}}}}}',
      '{gridCells(first:100){nodes{residents{gridCell{parent{parent{residents{id}}}}}}}}',
      `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: residents(first: 1) { totalCount }`).join(' ')} }`,
    ];
    for (const attack of attacks) expect(cost(attack)).toBeGreaterThan(DEFAULT_COST_BUDGET);
  });
});

describe('cost budgets by role', () => {
  it('default to one budget for everyone, and take role=budget pairs', () => {
    expect(readCostBudgets({}, 'QUERY_COST_BUDGETS')).toEqual({ '*': DEFAULT_COST_BUDGET });
    const budgets = readCostBudgets({ QUERY_COST_BUDGETS: '*=5000, steward=20000,grid_worker=2000' }, 'QUERY_COST_BUDGETS');
    expect(budgetFor(budgets, ['grid_worker'])).toBe(2000);
    expect(budgetFor(budgets, ['grid_worker', 'steward'])).toBe(20000);
    expect(budgetFor(budgets, ['officer'])).toBe(5000);
    expect(budgetFor(budgets, [])).toBe(5000);
  });

  it('refuse a malformed entry, naming it', () => {
    for (const bad of ['steward', 'steward=0', 'Steward=10', 'steward=-5', 'steward=1e4']) {
      expect(() => readCostBudgets({ QUERY_COST_BUDGETS: bad }, 'QUERY_COST_BUDGETS')).toThrow(`"${bad}"`);
    }
  });
});
