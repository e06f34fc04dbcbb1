import type { DepartmentServer } from '../department-server';
import { buildSocialSecuritySchema } from './schema';
import { seedSocialSecurity } from './seed';
import { SOCIAL_SECURITY, startSocialSecurity } from './start';

/**
 * 人社 social security: employment records and pension payments, and
 * Resident.employment, pensions and socialSecurityRecords. Built on
 * @apollo/subgraph and its own SQL rather than the kit, to show that a
 * department on another stack needs only the documented protocol
 * (docs/subgraph-protocol.md) and this contract.
 */
export const department: DepartmentServer = {
  name: SOCIAL_SECURITY,
  schema: buildSocialSecuritySchema,
  start: startSocialSecurity,
  seed: seedSocialSecurity,
};
