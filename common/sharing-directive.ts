/** The @sharing directive every subgraph (and the gateway's own steward subgraph) declares and composes. */
export const SHARING_LINK = 'https://specs.govgraph.dev/sharing/v1.0';
export const SHARING_DIRECTIVE_DEFINITION =
  'directive @sharing(level: String, masker: String, roles: [String!], reveals: [String!]) on FIELD_DEFINITION | OBJECT | INPUT_FIELD_DEFINITION';
