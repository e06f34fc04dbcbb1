import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { GridCell } from './grid-cell.entity';
import { Sharing } from '../../kit/sharing';

/** The civil-affairs resident, as the grid knows it: its key, plus the grid's own fields. */
@ObjectType({ description: '居民 · A person registered with civil affairs (民政)' })
@Directive('@key(fields: "id")')
export class Resident {
  @Field(() => ID, { description: '居民标识 · Opaque identifier of the resident; never the ID number' })
  id!: string;
}

/** The petitions department's petition; the grid adds the cell that covers its area. */
@ObjectType({ description: '信访事项 · A petition (letter, visit, online or hotline) and how it is being handled' })
@Directive('@key(fields: "id")')
export class Petition {
  @Field(() => ID, { description: '信访事项标识 · Opaque identifier of the petition' })
  id!: string;

  @Field({ description: '行政区划代码 · 12-digit area code of the place concerned' })
  @Directive('@external')
  areaCode!: string;

  @Field(() => GridCell, { nullable: true, description: '所属网格 · The village or community (level 1) cell covering the petition’s area' })
  @Directive('@requires(fields: "areaCode")')
  @Sharing('UNCONDITIONAL')
  gridCell?: GridCell | null;
}
