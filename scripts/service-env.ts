import type { Department } from '../common/departments';

/** What only the gateway may hold: its keys and its own database's address. */
const GATEWAY_ONLY = ['GOVERNANCE_SIGNING_KEY', 'AUDIT_CHAIN_KEY', 'PSEUDONYM_KEY', 'GATEWAY_DATABASE_URL'];

/**
 * The environment `npm start` gives one service, from its own. Each
 * department is its own trust domain, so a department's subgraph gets
 * neither the gateway's secrets nor another department's database address
 * (which holds its password); the gateway gets no department's database
 * address. GOVERNANCE_VERIFY_KEYS names one subgraph's own keys, so under
 * the supervisor, which runs every subgraph, nobody gets it: each reads its
 * key folder.
 */
export function serviceEnv(service: string, env: NodeJS.ProcessEnv, departments: readonly Department[]): NodeJS.ProcessEnv {
  const withheld = new Set([
    'GOVERNANCE_VERIFY_KEYS',
    ...departments.filter((department) => department.name !== service).map((department) => department.env.databaseUrl),
    ...(departments.some((department) => department.name === service) ? GATEWAY_ONLY : []),
  ]);
  return Object.fromEntries(Object.entries(env).filter(([key]) => !withheld.has(key)));
}
