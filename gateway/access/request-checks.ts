/**
 * The checks made anew for every request, on top of the decisions cached for
 * its caller class: a forbidden mutation, strict mode, and filter arguments
 * whose values (in this request's variables) would reveal what the caller
 * may not see.
 */
import { isInputType, typeFromAST, valueFromAST, type GraphQLSchema, type VariableDefinitionNode } from 'graphql';
import { RequestRefusedError } from '../../common/errors';
import { deniedCoordinates } from './apply-shape';
import type { DecidedOperation } from './operation-decisions';
import type { OperationFacts } from './sharing-plan';

/** A refusal after the operation was decided: it carries what was decided, for the audit record. */
export class OperationRefusedError extends RequestRefusedError {
  constructor(
    status: number,
    code: 'FORBIDDEN_OPERATION' | 'FORBIDDEN_FIELD',
    message: string,
    readonly facts: OperationFacts,
  ) {
    super(status, code, message);
  }
}

/** The client's variables with the operation's defaults filled in, as execution will see them. */
export function withDefaults(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  sent: Record<string, unknown>,
): Record<string, unknown> {
  const variables = { ...sent };
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    if (variables[name] !== undefined || !definition.defaultValue) continue;
    const type = typeFromAST(schema, definition.type);
    if (type && isInputType(type)) variables[name] = valueFromAST(definition.defaultValue, type);
  }
  return variables;
}

/** Throws OperationRefusedError when this request may not run `operation` with `variables`. */
export function checkRequest(operation: DecidedOperation, variables: Record<string, unknown>, strict: boolean): void {
  if (operation.forbiddenMutations.length > 0) {
    throw new OperationRefusedError(
      403,
      'FORBIDDEN_OPERATION',
      `Not permitted to call ${operation.forbiddenMutations.join(', ')}`,
      operation,
    );
  }
  if (strict) {
    const denied = deniedCoordinates(operation.shape);
    if (denied.length > 0) throw new OperationRefusedError(403, 'FORBIDDEN_FIELD', `Not permitted to see ${denied.join(', ')}`, operation);
  }
  for (const check of operation.filterChecks) {
    const value = valueFromAST(check.argument.value, check.type, variables) as Record<string, unknown> | null | undefined;
    if (value && value[check.inputField] !== null && value[check.inputField] !== undefined) {
      throw new OperationRefusedError(403, 'FORBIDDEN_FIELD', `Not permitted to filter by ${check.coordinates.join(', ')}`, operation);
    }
  }
}
