import type DataLoader from 'dataloader';
import { ArgsType, Field, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE } from '../../common/page-size';
import type { Page, PageArgs } from './connection';

export const PAGE_SIZE_DOC = '每页条数（≤100） · Page size, at most 100';
export const AFTER_DOC = '从此游标之后 · Continue after this cursor (endCursor of the previous page)';

/**
 * The paging arguments of every list query, `first` and `after`, declared
 * once. A query takes them with `@Args() page: ConnectionArgs` after its own
 * arguments.
 */
@ArgsType()
export class ConnectionArgs {
  // Declared in the order the schema has always printed them.
  @Field(() => String, { nullable: true, description: AFTER_DOC })
  after?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: PAGE_SIZE_DOC })
  first?: number | null;
}

/** The page the arguments ask for; an explicit null `first` means the default size. */
export function toPageArgs(args: ConnectionArgs): PageArgs {
  return { first: args.first ?? DEFAULT_PAGE_SIZE, after: args.after };
}

/**
 * The connection for `page`, each node primed into `byId` first, so that a
 * later lookup of the same record in this request costs no query.
 */
export function toPrimedConnection<T extends { id: string }, C>(
  connection: { fromPage(page: Page<T>): C },
  page: Page<T>,
  byId: DataLoader<string, T>,
): C {
  for (const node of page.nodes) byId.prime(node.id, node);
  return connection.fromPage(page);
}
