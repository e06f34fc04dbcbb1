/**
 * An edit the filter makes to an operation beyond removing denied fields:
 * variable definitions left unused go too.
 */
import { visit, type OperationDefinitionNode } from 'graphql';

/** Variables the filtered operation no longer uses would fail validation: they go too. */
export function withoutUnusedVariables(operation: OperationDefinitionNode): OperationDefinitionNode {
  const used = new Set<string>();
  visit(operation.selectionSet, { Variable: (node) => void used.add(node.name.value) });
  for (const directive of operation.directives ?? []) visit(directive, { Variable: (node) => void used.add(node.name.value) });
  return { ...operation, variableDefinitions: (operation.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)) };
}
