import { ConfigError, type Env } from '../common/env';

/** Budgets of estimated cost by role; `*` applies to every role without its own. */
export type CostBudgets = Readonly<Record<string, number>>;

/** Room for a page of 100 residents with everything all four departments say of them (about 14,000). */
export const DEFAULT_COST_BUDGET = 15_000;

const ENTRY = /^([a-z][a-z0-9_]*|\*)=(\d{1,9})$/;

/** `role=budget` pairs, comma-separated (`*=10000,steward=20000`); unset, DEFAULT_COST_BUDGET for everyone. */
export function readCostBudgets(env: Env, key: string): CostBudgets {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return { '*': DEFAULT_COST_BUDGET };
  const budgets: Record<string, number> = { '*': DEFAULT_COST_BUDGET };
  for (const entry of raw.split(',').map((part) => part.trim())) {
    const match = ENTRY.exec(entry);
    if (!match || Number(match[2]) < 1) throw new ConfigError(`${key} must list role=budget pairs (budget 1 or more), got "${entry}"`);
    budgets[match[1]!] = Number(match[2]);
  }
  return budgets;
}

/** The largest budget among the caller's roles, or the `*` budget when none of them has one. */
export function budgetFor(budgets: CostBudgets, roles: readonly string[]): number {
  const own = roles.flatMap((role) => (Object.hasOwn(budgets, role) && role !== '*' ? [budgets[role]!] : []));
  return own.length > 0 ? Math.max(...own) : budgets['*']!;
}
