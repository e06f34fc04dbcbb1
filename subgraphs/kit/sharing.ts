import { Directive } from 'type-graphql';

/**
 * The sharing classification (共享目录) of a field, declared by the
 * department that owns it, next to its definition, and composed into the
 * supergraph through @composeDirective so the gateway reads it from there.
 *
 * UNCONDITIONAL 无条件共享 · CONDITIONAL 有条件共享 (needs a grant) · NONE 不予共享.
 * On a type it classifies every field the type's own subgraph defines; a
 * field's own classification wins. On a mutation, `roles` names who of the
 * owning department may call it.
 */
import type { MaskerName, SharingLevel } from '../../common/sharing-directive';

export { SHARING_DIRECTIVE_DEFINITION, SHARING_LINK } from '../../common/sharing-directive';

/**
 * On a filter's input field: filtering by it reveals these fields (matching
 * by name tells whose name it is), so the gateway allows the filter only to
 * callers who may see every one of them raw.
 */
export function Reveals(...coordinates: string[]): PropertyDecorator {
  return Directive(`@sharing(reveals: [${coordinates.map((coordinate) => `"${coordinate}"`).join(', ')}])`);
}

/**
 * On a mutation's input field: it names an entity of `type`, which another
 * department owns. Before the mutation runs, the gateway looks the id up at
 * that department as the caller and refuses the operation if it is not
 * found within the caller's areas (the owning department's data never
 * reaches this one's database).
 */
export function References(type: string): PropertyDecorator {
  return Directive(`@sharing(references: "${type}")`);
}

export function Sharing(
  level: SharingLevel,
  options: { masker?: MaskerName; roles?: string[] } = {},
): MethodDecorator & PropertyDecorator & ClassDecorator {
  const args = [`level: "${level}"`];
  if (options.masker) args.push(`masker: "${options.masker}"`);
  if (options.roles) args.push(`roles: [${options.roles.map((role) => `"${role}"`).join(', ')}]`);
  return Directive(`@sharing(${args.join(', ')})`);
}
