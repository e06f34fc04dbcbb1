import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../subgraph-datasource';
import type { Governor } from './governor';

/**
 * In gateway mode Apollo never resolves fields itself, so decisions made on
 * the operation are applied to the finished response here: null and an
 * error for each denied path, masked values, placeholders removed.
 */
export function createShapingPlugin(governor: Governor): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !contextValue.plan) return;
          governor.shapeResponse(response.body.singleResult as Parameters<Governor['shapeResponse']>[0], contextValue.plan);
        },
      };
    },
  };
}
