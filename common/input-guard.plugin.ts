import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import { BadUserInputError } from './errors';

/** C0 control characters other than tab, line feed and carriage return, and DEL. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function hasControlCharacter(value: unknown): boolean {
  if (typeof value === 'string') return CONTROL.test(value);
  if (Array.isArray(value)) return value.some(hasControlCharacter);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasControlCharacter);
  return false;
}

/** Apollo reuses the parsed document of a repeated operation: walk each one once. */
const checkedDocuments = new WeakMap<DocumentNode, boolean>();

function documentHasControlCharacter(document: DocumentNode): boolean {
  const known = checkedDocuments.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (CONTROL.test(node.value)) found = true;
    },
  });
  checkedDocuments.set(document, found);
  return found;
}

/**
 * Refuses text with control characters (a NUL, say) before any resolver
 * runs: no record should hold them, and PostgreSQL would fail on a NUL with
 * an internal error rather than a clear one.
 */
export function createInputGuardPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          if (hasControlCharacter(request.variables) || documentHasControlCharacter(document)) {
            throw new BadUserInputError('Text must not contain control characters', { http: { status: 400 } });
          }
        },
      };
    },
  };
}
