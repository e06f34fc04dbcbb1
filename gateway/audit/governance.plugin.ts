import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../common/logger';
import type { Governor } from '../access/governor';
import type { GatewayContext } from '../subgraph-datasource';
import { buildAuditEntry, outcomeOf } from './audit-entry';
import type { AuditStore } from './audit-store';

/**
 * After execution (in gateway mode Apollo never resolves fields itself):
 * applies the request's decisions to the response, then records it. A
 * response carrying non-public data leaves only once its record is
 * committed; if the trail cannot commit, that response becomes 503
 * AUDIT_UNAVAILABLE (and its record is kept for later). Other responses do
 * not wait for the trail.
 */
export function createGovernancePlugin(governor: Governor, audit: AuditStore, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const plan = contextValue.plan;
          const shaped = plan ? governor.shapeResponse(result as Parameters<Governor['shapeResponse']>[0], plan) : { subjects: new Set<string>(), carriesNonPublic: false };
          const status = response.http.status ?? 200;
          const facts = { ...contextValue.facts, ...(plan ?? {}) };
          const entry = buildAuditEntry(facts, outcomeOf(status, result.data !== null && result.data !== undefined, (result.errors?.length ?? 0) > 0), status, shaped.subjects);
          if (!shaped.carriesNonPublic) {
            audit.appendLater(entry);
            return;
          }
          try {
            await audit.append(entry);
          } catch {
            logger.warn({ requestId: contextValue.requestId }, 'withheld a response with personal data: the audit trail is unavailable');
            response.http.status = 503;
            response.body.singleResult = { errors: [{ message: 'The audit trail cannot record this request now; try again shortly', extensions: { code: 'AUDIT_UNAVAILABLE' } }] };
            audit.appendLater({ ...entry, subjects: [], outcome: 'error', status: 503 });
          }
        },
      };
    },
  };
}
