/**
 * The @sharing directive: how a department classifies its fields next to
 * their definitions, composed into the supergraph for the gateway to read.
 * Its vocabulary is defined once here, for the subgraphs that declare it and
 * the gateway that enforces it.
 */
export const SHARING_LINK = 'https://specs.govgraph.dev/sharing/v1.0';
export const SHARING_DIRECTIVE_DEFINITION =
  'directive @sharing(level: String, masker: String, roles: [String!], reveals: [String!], references: String) on FIELD_DEFINITION | OBJECT | INPUT_FIELD_DEFINITION';

/** UNCONDITIONAL 无条件共享 · CONDITIONAL 有条件共享 (needs a grant) · NONE 不予共享. */
export const SHARING_LEVELS = ['UNCONDITIONAL', 'CONDITIONAL', 'NONE'] as const;
export type SharingLevel = (typeof SHARING_LEVELS)[number];

/** How a field another department may see only in part is transformed. */
export const MASKERS = ['ID_NUMBER', 'PHONE', 'NAME', 'ADDRESS', 'YEAR', 'PSEUDONYM'] as const;
export type MaskerName = (typeof MASKERS)[number];
