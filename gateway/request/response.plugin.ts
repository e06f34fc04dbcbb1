/**
 * The end of the request path, after Apollo has executed the filtered
 * operation (in gateway mode Apollo never resolves fields itself): first the
 * access step shapes the response by the request's sharing plan (nulls and
 * errors for denied fields, masked values), then the audit step records it.
 * Anything that goes wrong here withholds the response rather than send it
 * unshaped or unrecorded.
 */
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { Logger } from '../../common/logger';
import type { ExecutedResult, Governor, ShapedResponse } from '../access/governor';
import { buildAuditEntry, outcomeOf } from '../audit/audit-entry';
import type { AuditStore } from '../audit/audit-store';
import { recordResponse } from '../audit/record-response';
import type { GatewayContext } from './request-context';

const NOTHING_SHAPED: ShapedResponse = { subjects: new Map(), carriesNonPublic: false };

type SingleBody = Extract<GraphQLResponse['body'], { kind: 'single' }>;

function singleBody(response: GraphQLResponse): SingleBody {
  if (response.body.kind !== 'single') throw new Error('incremental responses are not shaped by the gateway');
  return response.body;
}

function withhold(response: GraphQLResponse, status: number, code: string, message: string): void {
  response.http.status = status;
  response.body = { kind: 'single', singleResult: { errors: [{ message, extensions: { code } }] } };
}

export function createResponsePlugin(governor: Governor, audit: AuditStore, logger: Logger): ApolloServerPlugin<GatewayContext> {
  async function finish(response: GraphQLResponse, context: GatewayContext): Promise<void> {
    const result = singleBody(response).singleResult as ExecutedResult;
    const shaped = context.sharing ? governor.shapeResponse(result, context.sharing) : NOTHING_SHAPED;
    const status = response.http.status ?? 200;
    const outcome = outcomeOf(status, result.data !== null && result.data !== undefined, (result.errors?.length ?? 0) > 0);
    const entry = buildAuditEntry(context.facts, outcome, status, shaped.subjects);
    context.facts.outcome = outcome;
    // A step of the sharing workflow, like personal data, is answered only once its record is committed.
    const mustRecord = shaped.carriesNonPublic || (entry.steps?.length ?? 0) > 0;
    if ((await recordResponse(audit, entry, mustRecord)) === 'withhold') {
      context.facts.outcome = 'error';
      logger.warn({ requestId: context.requestId }, 'withheld a response with personal data: the audit trail is unavailable');
      withhold(response, 503, 'AUDIT_UNAVAILABLE', 'The audit trail cannot record this request now; try again shortly');
    }
  }

  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          // Recorded below, one way or the other: the door must not record it again.
          contextValue.facts.recorded = true;
          try {
            await finish(response, contextValue);
          } catch (error) {
            logger.error({ err: error, requestId: contextValue.requestId }, 'could not shape or record a response; withheld');
            withhold(response, 500, 'INTERNAL', 'Internal server error');
            audit.appendLater(buildAuditEntry(contextValue.facts, 'error', 500));
          }
        },
      };
    },
  };
}
