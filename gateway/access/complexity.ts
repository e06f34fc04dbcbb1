import { Kind, visit, type DocumentNode } from 'graphql';

/** Limits on what the gateway will parse and plan; beyond them an operation is QUERY_TOO_COMPLEX. */
export const LIMITS = {
  /** Characters of operation text. */
  maxQueryLength: 100_000,
  /** Lexical tokens, checked while parsing, so a huge document is never built. */
  maxTokens: 15_000,
  /** Nested selection sets, fragments counted where they are spread. */
  maxDepth: 15,
} as const;

/**
 * The deepest nesting of selection sets in any operation, with each
 * fragment's own depth added where it is spread. Iterative per definition
 * (graphql-js's visitor), so a deep document cannot overflow the stack.
 * The document must be valid: fragment cycles are rejected by validation.
 */
export function operationDepth(document: DocumentNode): number {
  const own = new Map<string, { depth: number; spreads: { name: string; at: number }[] }>();
  let deepestOperation = 0;
  const operationSpreads: { name: string; at: number }[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    let depth = 0;
    let deepest = 0;
    const spreads: { name: string; at: number }[] = [];
    visit(definition, {
      SelectionSet: {
        enter: () => {
          depth += 1;
          deepest = Math.max(deepest, depth);
        },
        leave: () => {
          depth -= 1;
        },
      },
      FragmentSpread: (node) => {
        spreads.push({ name: node.name.value, at: depth });
      },
    });
    if (definition.kind === Kind.FRAGMENT_DEFINITION) own.set(definition.name.value, { depth: deepest, spreads });
    else {
      deepestOperation = Math.max(deepestOperation, deepest);
      operationSpreads.push(...spreads);
    }
  }
  const memo = new Map<string, number>();
  const fragmentDepth = (name: string): number => {
    const cached = memo.get(name);
    if (cached !== undefined) return cached;
    const fragment = own.get(name);
    if (!fragment) return 0;
    memo.set(name, fragment.depth);
    const total = Math.max(fragment.depth, ...fragment.spreads.map((spread) => spread.at - 1 + fragmentDepth(spread.name)));
    memo.set(name, total);
    return total;
  };
  return Math.max(deepestOperation, ...operationSpreads.map((spread) => spread.at - 1 + fragmentDepth(spread.name)));
}
