import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
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
 * not wait for the trail. Anything that goes wrong here withholds the
 * response rather than send it unshaped or unrecorded.
 */
export function createGovernancePlugin(governor: Governor, audit: AuditStore, logger: Logger): ApolloServerPlugin<GatewayContext> {
  async function finish(response: GraphQLResponse, context: GatewayContext): Promise<void> {
    if (response.body.kind !== 'single') throw new Error('incremental responses are not shaped by the gateway');
    const result = response.body.singleResult;
    const plan = context.plan;
    const shaped = plan ? governor.shapeResponse(result as Parameters<Governor['shapeResponse']>[0], plan) : { subjects: new Map<string, Set<string>>(), carriesNonPublic: false };
    const status = response.http.status ?? 200;
    const entry = buildAuditEntry({ ...context.facts, ...(plan ?? {}) }, outcomeOf(status, result.data !== null && result.data !== undefined, (result.errors?.length ?? 0) > 0), status, shaped.subjects);
    if (!shaped.carriesNonPublic) {
      audit.appendLater(entry);
      return;
    }
    try {
      await audit.append(entry);
    } catch {
      logger.warn({ requestId: context.requestId }, 'withheld a response with personal data: the audit trail is unavailable');
      response.http.status = 503;
      response.body.singleResult = { errors: [{ message: 'The audit trail cannot record this request now; try again shortly', extensions: { code: 'AUDIT_UNAVAILABLE' } }] };
      audit.appendLater({ ...entry, subjects: [], outcome: 'error', status: 503 });
    }
  }

  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          try {
            await finish(response, contextValue);
          } catch (error) {
            logger.error({ err: error, requestId: contextValue.requestId }, 'could not shape or record a response; withheld');
            response.http.status = 500;
            response.body = { kind: 'single', singleResult: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL' } }] } };
            audit.appendLater(buildAuditEntry(contextValue.facts, 'error', 500));
          }
        },
      };
    },
  };
}
