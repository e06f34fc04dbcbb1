/**
 * What govgraph should answer a caller, computed from plain Apollo's answers
 * to the same operation, for the governed differential test.
 *
 * Plain Apollo is asked twice: the client's operation unchanged (the
 * reference: its data and errors are what govgraph's must match outside
 * denials), and the same with a `__typename` under a fixed alias
 * (TYPE_PROBE) in the selection set of every field of interface or union
 * type (the probe: it says each object's concrete type). govgraph is asked
 * the client's operation unchanged: where it needs the type it must add it
 * itself.
 *
 * The oracle then executes the client's operation over the reference data
 * the way graphql-js executes it over a schema (graphql's own
 * collectFields: @skip and @include, fragments by the object's concrete
 * type, response keys merged), and at each field of concrete type T:
 * - `__typename`: the reference's value;
 * - decided DENY for `T.field`: null, and one error
 *   `{ code: FORBIDDEN_FIELD, path, coordinate: "T.field" }`;
 * - MASK: the reference's value through the gateway's masker functions;
 * - ALLOW: the reference's value, its selections walked the same way.
 * The reference's errors keep their path, read through govgraph's
 * public-error rule, except those at or under a denied field: govgraph
 * never fetched it.
 *
 * One thing plain Apollo answers differently for asking `__typename`: an
 * entity of an @interfaceObject whose concrete type no subgraph can resolve
 * (a reference the interface's own subgraph does not know) is `{...}`
 * without it and null with it. Its type is unknowable, so is what govgraph
 * answers there (it adds `__typename` only where it needs the type): such a
 * position is listed in `unknowable`, and the comparison leaves it out,
 * errors at or under it included. Where the reference lacks a field the
 * operation selects, plain Apollo answered wrongly: IncompleteReferenceError.
 *
 * Decisions come from the gateway's pure `decideInCatalog`, handed in as
 * `decide`; nothing here uses the filter or the shaping code under test.
 */
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
// graphql-js's own field collection (internal to graphql 16, stable across its 16.x releases): the reference semantics.
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import { formatPublicError } from '../../../common/errors';
import { applyMasker, type Masker } from '../../../gateway/access/maskers';
import type { Decision, MaskerName } from '../../../gateway/access/policy';
import type { Answer } from './harness';

/** Plain Apollo's reference answer lacks a field the operation selects (an Apollo fault): it says nothing of what govgraph should answer. */
export class IncompleteReferenceError extends Error {}

/** The alias of the `__typename` added to every abstract selection set of the operation sent to plain Apollo. */
export const TYPE_PROBE = 'oracleTypeProbe';

type Path = (string | number)[];

export interface ExpectedError {
  code: string;
  path: Path | null;
  /** FORBIDDEN_FIELD only. */
  coordinate?: string;
}

export interface Expected {
  data: unknown;
  errors: ExpectedError[];
  /** The concrete coordinates the oracle denied (and answered null), each once. */
  denied: Set<string>;
  /** How many values it masked. */
  masked: number;
  /** Positions whose object's concrete type plain Apollo could not tell (see above); null in `data`. */
  unknowable: Path[];
  /** Plain errors that went because they lie at or under a denied field. */
  droppedErrors: number;
  /**
   * Response positions (paths without list indices) below an interface or a
   * union where one response key was decided differently for two concrete
   * types: where govgraph must split the selection by type.
   */
  mixedPositions: number;
}

/** The operation for plain Apollo: a `__typename` aliased TYPE_PROBE in every selection set of interface or union type. */
export function withTypeProbes(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const probe: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: TYPE_PROBE },
    name: { kind: Kind.NAME, value: '__typename' },
  };
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        leave(node) {
          const type = typeInfo.getType();
          if (!node.selectionSet || !type || !isAbstractType(getNamedType(type))) return undefined;
          return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, probe] } };
        },
      },
    }),
  );
}

/** Own data properties only: `__proto__` is a response key like any other. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isUnder(path: Path, prefixes: readonly Path[]): boolean {
  return prefixes.some((prefix) => prefix.length <= path.length && prefix.every((item, index) => path[index] === item));
}

export function expectedAnswer(
  schema: GraphQLSchema,
  query: string,
  variables: Record<string, unknown>,
  reference: Answer,
  probed: Answer,
  decide: (coordinate: string) => Decision,
  maskers: Record<MaskerName, Masker>,
): Expected {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null) as Record<string, FragmentDefinitionNode>;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw new Error(`the oracle cannot coerce the variables: ${coerced.errors.map((e) => e.message).join('; ')}`);
  const variableValues = coerced.coerced;

  const errors: ExpectedError[] = [];
  const deniedPaths: Path[] = [];
  const unknowable: Path[] = [];
  const denied = new Set<string>();
  let masked = 0;
  const actionsAt = new Map<string, Set<string>>();

  const completeObject = (
    type: GraphQLObjectType,
    fields: Map<string, readonly FieldNode[]>,
    source: Record<string, unknown>,
    probe: unknown,
    path: Path,
    throughAbstract = false,
  ) => {
    const result: Record<string, unknown> = {};
    const probeObject = typeof probe === 'object' && probe !== null ? (probe as Record<string, unknown>) : {};
    for (const [key, nodes] of fields) {
      if (!Object.hasOwn(source, key)) throw new IncompleteReferenceError(`plain's answer has no ${key} at ${JSON.stringify(path)}`);
      const value = source[key];
      const probed = Object.hasOwn(probeObject, key) ? probeObject[key] : undefined;
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        put(result, key, value);
        continue;
      }
      const coordinate = `${type.name}.${name}`;
      const decision = decide(coordinate);
      const at = [...path, key];
      if (throughAbstract) {
        const position = JSON.stringify(at.filter((item) => typeof item === 'string'));
        const actions = actionsAt.get(position) ?? new Set<string>();
        actions.add(decision.action);
        actionsAt.set(position, actions);
      }
      if (decision.action === 'DENY') {
        put(result, key, null);
        errors.push({ code: 'FORBIDDEN_FIELD', path: at, coordinate });
        deniedPaths.push(at);
        denied.add(coordinate);
      } else if (decision.action === 'MASK') {
        if (value !== null) masked += 1;
        put(result, key, applyMasker(maskers[decision.masker!], value));
      } else {
        const field = type.getFields()[name];
        if (!field) throw new Error(`${coordinate} is not in the API schema`);
        put(result, key, complete(field.type, nodes, value, probed, at));
      }
    }
    return result;
  };

  const complete = (type: GraphQLOutputType, nodes: readonly FieldNode[], value: unknown, probe: unknown, path: Path): unknown => {
    if (value === null || value === undefined) return null;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) throw new Error(`plain's answer has no list at ${JSON.stringify(path)}`);
      const probes = Array.isArray(probe) ? probe : [];
      return value.map((item, index) => complete(nullable.ofType as GraphQLOutputType, nodes, item, probes[index], [...path, index]));
    }
    if (isLeafType(nullable)) return value;
    const source = value as Record<string, unknown>;
    let runtime: GraphQLObjectType;
    if (isObjectType(nullable)) runtime = nullable;
    else {
      const typename = typeof probe === 'object' && probe !== null ? (probe as Record<string, unknown>)[TYPE_PROBE] : undefined;
      const found = typeof typename === 'string' ? schema.getType(typename) : undefined;
      if (!isObjectType(found)) {
        unknowable.push(path);
        return null;
      }
      runtime = found;
    }
    return completeObject(
      runtime,
      collectSubfields(schema, fragments, variableValues, runtime, nodes),
      source,
      probe,
      path,
      !isObjectType(nullable),
    );
  };

  const root = schema.getQueryType()!;
  const referenceData = reference.body.data;
  const data =
    referenceData === null || referenceData === undefined
      ? null
      : completeObject(
          root,
          collectFields(schema, fragments, variableValues, root, operation.selectionSet),
          referenceData as Record<string, unknown>,
          probed.body.data,
          [],
        );

  let droppedErrors = 0;
  for (const error of reference.body.errors ?? []) {
    const path = error.path ?? null;
    if (path && isUnder(path, unknowable)) continue;
    if (path && isUnder(path, deniedPaths)) {
      droppedErrors += 1;
      continue;
    }
    errors.push({ code: String(formatPublicError(error).extensions?.code ?? null), path });
  }
  const mixedPositions = [...actionsAt.values()].filter((actions) => actions.size > 1).length;
  return { data, errors, denied, masked, unknowable, droppedErrors, mixedPositions };
}

/** `data` (govgraph's) with null put at each unknowable position (see above), in place. */
export function withoutUnknowable(data: unknown, unknowable: readonly Path[]): unknown {
  if (data === null || data === undefined) return null;
  for (const path of unknowable) {
    let target: unknown = data;
    for (const key of path.slice(0, -1))
      target = typeof target === 'object' && target !== null ? (target as Record<string | number, unknown>)[key] : undefined;
    if (typeof target === 'object' && target !== null && Object.hasOwn(target, path[path.length - 1]!)) {
      put(target as Record<string, unknown>, String(path[path.length - 1]), null);
    }
  }
  return data;
}

/** An error as compared: code and path, and the coordinate of a FORBIDDEN_FIELD. */
export function errorKey(error: ExpectedError): string {
  return JSON.stringify(error.code === 'FORBIDDEN_FIELD' ? error : { code: error.code, path: error.path });
}

/** govgraph's errors as ExpectedErrors, but those at or under an unknowable position. */
export function actualErrors(answer: Answer, unknowable: readonly Path[]): ExpectedError[] {
  return (answer.body.errors ?? [])
    .filter((error) => !(error.path && isUnder(error.path, unknowable)))
    .map((error) => {
      const code = String(error.extensions?.code ?? null);
      const coordinate = error.extensions?.coordinate;
      return {
        code,
        path: error.path ?? null,
        ...(code === 'FORBIDDEN_FIELD' && typeof coordinate === 'string' ? { coordinate } : {}),
      };
    });
}
