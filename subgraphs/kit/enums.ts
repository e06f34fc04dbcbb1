import { registerEnumType } from 'type-graphql';

/** An enum as the departments declare it: each value's own name is its stored and wire value. */
export type EnumObject<K extends string> = { readonly [V in K]: V };

/** The union of an enum's values, for types: `type Gender = EnumValue<typeof Gender>`. */
export type EnumValue<E> = E[keyof E];

/**
 * Declares a GraphQL enum once: its values with their bilingual descriptions,
 * in schema order. Returns the value object (`Gender.MALE === 'MALE'`) and
 * registers it with type-graphql, so `@Field(() => Gender)` finds it.
 */
export function defineEnum<K extends string>(name: string, description: string, values: Readonly<Record<K, string>>): EnumObject<K> {
  const keys = Object.keys(values) as K[];
  const enumObject = Object.freeze(Object.fromEntries(keys.map((key) => [key, key]))) as EnumObject<K>;
  const valuesConfig = Object.fromEntries(keys.map((key) => [key, { description: values[key] }])) as Partial<
    Record<K, { description: string }>
  >;
  registerEnumType(enumObject, { name, description, valuesConfig });
  return enumObject;
}
