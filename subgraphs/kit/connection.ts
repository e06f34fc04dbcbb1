import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { BadUserInputError } from '../../common/errors';
import { MAX_PAGE_SIZE } from '../../common/page-size';
import { Sharing } from './sharing';

// PageInfo is shareable (every subgraph has it): classified field by field, identically in each.
@ObjectType({ description: '分页信息 · Where this page ends and whether more follow' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: '是否有下一页 · Whether another page follows this one' })
  @Sharing('UNCONDITIONAL')
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: '末尾游标 · Cursor of the last edge; pass as `after`' })
  @Sharing('UNCONDITIONAL')
  endCursor!: string | null;
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  cursorOf: (node: T) => string;
  countTotal: () => Promise<number>;
}

export interface ConnectionShape<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/**
 * A Relay-style connection type for `node`: `nodes`, `edges { cursor node }`,
 * `pageInfo` and `totalCount`. The total is counted only when selected.
 */
export function createConnectionType<T extends object>(node: ClassType<T>, name: string, term: string) {
  @ObjectType(`${name}Edge`, { description: `${term}边 · A ${name} with its cursor` })
  @Sharing('UNCONDITIONAL')
  class Edge {
    @Field({ description: '游标 · Opaque cursor of this edge' })
    cursor!: string;

    @Field(() => node, { description: `${term} · The ${name}` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `${term}分页列表 · A page of ${name} records` })
  @Sharing('UNCONDITIONAL')
  class Connection implements ConnectionShape<T> {
    @Field(() => [node], { description: `本页${term} · The ${name} records of this page` })
    nodes!: T[];

    @Field(() => [Edge], { description: '本页的边 · The records of this page with their cursors' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: '分页信息 · Page information' })
    pageInfo!: PageInfo;

    countTotal!: () => Promise<number>;

    @Field(() => Int, { description: '符合条件的总数 · Number of records matching the filter, across all pages' })
    totalCount(): Promise<number> {
      return this.countTotal();
    }

    static fromPage(page: Page<T>): Connection {
      const connection = new Connection();
      connection.nodes = page.nodes;
      connection.edges = page.nodes.map((item) => ({ cursor: page.cursorOf(item), node: item }));
      const last = page.nodes[page.nodes.length - 1];
      connection.pageInfo = { hasNextPage: page.hasNextPage, endCursor: last ? page.cursorOf(last) : null };
      connection.countTotal = page.countTotal;
      return connection;
    }
  }
  return Connection;
}

export interface PageArgs {
  first: number;
  after?: string | null;
}

export interface SortKey {
  /** `alias.column` as used in the query. */
  column: string;
  order: 'ASC' | 'DESC';
}

/** Newest first: a timestamp column, then the unique id to break ties (both `alias.column`). */
export function newestFirst(timeColumn: string, idColumn: string): SortKey[] {
  return [
    { column: timeColumn, order: 'DESC' },
    { column: idColumn, order: 'DESC' },
  ];
}

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
}

export function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): string[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Every sort key is text: anything else was not made by encodeCursor.
    if (Array.isArray(values) && values.length === arity && values.every((value) => typeof value === 'string')) {
      return values as string[];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError('after is not a cursor returned by this list', { argument: 'after' });
}

/**
 * Keyset pagination: orders by `sort` (the last key must be unique) and
 * continues strictly after the cursor. Fetches one extra row to know whether
 * another page follows. Count runs on a clone taken before paging.
 */
export async function fetchPage<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  sort: readonly SortKey[],
  cursorValues: (row: T) => string[],
  page: PageArgs,
): Promise<Page<T>> {
  checkPageSize(page.first);
  const countQuery = query.clone();
  if (page.after) {
    const values = decodeCursor(page.after, sort.length);
    const clauses = sort.map((_, i) => {
      const equal = sort.slice(0, i).map((key, j) => `${key.column} = :k${j}`);
      const beyond = `${sort[i]!.column} ${sort[i]!.order === 'ASC' ? '>' : '<'} :k${i}`;
      return `(${[...equal, beyond].join(' AND ')})`;
    });
    query.andWhere(`(${clauses.join(' OR ')})`, Object.fromEntries(values.map((value, i) => [`k${i}`, value])));
  }
  sort.forEach((key, i) => (i === 0 ? query.orderBy(key.column, key.order) : query.addOrderBy(key.column, key.order)));
  const rows = await query.limit(page.first + 1).getMany();
  return {
    nodes: rows.slice(0, page.first),
    hasNextPage: rows.length > page.first,
    cursorOf: (row) => encodeCursor(cursorValues(row)),
    countTotal: () => countQuery.getCount(),
  };
}
