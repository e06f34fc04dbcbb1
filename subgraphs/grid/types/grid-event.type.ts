import { Field, InterfaceType } from 'type-graphql';
import { DateTimeScalar } from '../../kit/scalars';
import { Sharing } from '../../kit/sharing';
import { GridCell } from '../entities/grid-cell.entity';

/**
 * Something that happened in a grid cell: a home visit or an incident.
 * Visit and Incident implement it (`implements: GridEvent`), and the type of
 * each event is found by its class (every event is an entity row). Each
 * field is classified here and, identically, on each implementation (the
 * gateway decides each object's fields by its concrete type, and refuses an
 * interface classified unlike its implementations). `at` and `areaCode` are
 * non-null, as on both implementations, so a client may select them on the
 * interface and on a type beside each other.
 */
@InterfaceType('GridEvent', { description: '走访与事件 · Something that happened in a grid cell: a home visit or an incident' })
export abstract class GridEvent {
  @Field(() => DateTimeScalar, { description: '发生时间 · When it happened' })
  @Sharing('UNCONDITIONAL')
  at!: string;

  @Field(() => GridCell, { nullable: true, description: '所在网格 · The basic cell it happened in' })
  @Sharing('UNCONDITIONAL')
  cell?: GridCell | null;

  @Field(() => String, { description: '行政区划代码 · 12-digit area code of the village or community' })
  @Sharing('UNCONDITIONAL')
  areaCode!: string;
}
