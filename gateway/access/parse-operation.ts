/**
 * Parses and validates operation text against the API schema, within the
 * gateway's size limits, and remembers the result for text seen before.
 */
import { hash } from 'node:crypto';
import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { RequestRefusedError } from '../../common/errors';
import { LIMITS, operationDepth } from './complexity';

/**
 * A valid document carries the name its decisions are cached under: a serial
 * number while it is cached, a hash of its text otherwise. An invalid one
 * carries Apollo's errors (Apollo refuses it before anything runs).
 */
export type ParsedOperation = { document: DocumentNode; id: string } | { errors: readonly GraphQLError[] };

type Entry = ParsedOperation | { tooComplex: string };

/** Only small documents are kept: the cache must not become a way to exhaust memory. */
const CACHED_QUERY_LENGTH = 10_000;

function parseAndValidate(query: string, schema: GraphQLSchema): Entry {
  try {
    const document = parse(query, { maxTokens: LIMITS.maxTokens });
    const errors = validate(schema, document);
    if (errors.length > 0) return { errors };
    const depth = operationDepth(document);
    if (depth > LIMITS.maxDepth) return { tooComplex: `The operation nests ${depth} levels deep; at most ${LIMITS.maxDepth} are allowed` };
    return { document, id: '' };
  } catch (error) {
    // graphql-js parses and validates recursively: a deep enough document overflows the stack.
    if (error instanceof RangeError) return { tooComplex: `The operation nests more than ${LIMITS.maxDepth} levels deep` };
    if (/tokens/.test(String((error as Error).message))) return { tooComplex: `The operation has more than ${LIMITS.maxTokens} tokens` };
    return { errors: [error as GraphQLError] };
  }
}

export class OperationParser {
  private readonly documents: LRUCache<string, Entry>;
  private serial = 0;

  constructor(cacheSize: number) {
    this.documents = new LRUCache({ max: cacheSize });
  }

  /** The parsed operation; RequestRefusedError (QUERY_TOO_COMPLEX) past the limits. */
  parse(query: string, schema: GraphQLSchema): ParsedOperation {
    if (query.length > LIMITS.maxQueryLength) {
      throw new RequestRefusedError(400, 'QUERY_TOO_COMPLEX', `The operation is longer than ${LIMITS.maxQueryLength} characters`);
    }
    const entry = this.documents.get(query) ?? this.remember(query, parseAndValidate(query, schema));
    if ('tooComplex' in entry) throw new RequestRefusedError(400, 'QUERY_TOO_COMPLEX', entry.tooComplex);
    return entry;
  }

  /** Forgets every document: a new schema validates them anew. */
  clear(): void {
    this.documents.clear();
  }

  private remember(query: string, entry: Entry): Entry {
    // A document parsed again after eviction gets a new number; the decisions cached under its old one age out.
    if (query.length <= CACHED_QUERY_LENGTH) {
      if ('document' in entry) entry.id = `#${(this.serial += 1)}`;
      this.documents.set(query, entry);
    } else if ('document' in entry) {
      entry.id = hash('sha256', query, 'base64url');
    }
    return entry;
  }
}
