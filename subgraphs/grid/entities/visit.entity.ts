import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeScalar } from '../../kit/scalars';
import { Sharing } from '../../kit/sharing';
import { GridEvent } from '../types/grid-event.type';

@ObjectType({ description: '走访记录 · A home visit by a grid worker', implements: GridEvent })
@Entity('visit')
@Sharing('CONDITIONAL')
export class Visit {
  @Field(() => ID, { description: '走访标识 · Opaque identifier of the visit' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: '走访时间 · When the visit took place' })
  @Column({ type: 'varchar', length: 24 })
  visitedAt!: string;

  @Field(() => String, { nullable: true, description: '走访情况 · What the worker noted' })
  @Sharing('NONE')
  @Column({ type: 'text' })
  notes!: string;

  @Field(() => Boolean, { nullable: true, description: '需跟进 · Whether a follow-up is needed' })
  @Column({ type: 'boolean' })
  followUpNeeded!: boolean;

  /** The resident visited; exposed as a reference through `resident`. */
  @Index()
  @Column({ type: 'varchar', length: 36 })
  residentId!: string;

  /** The worker who visited; exposed through `worker`. */
  @Index()
  @Column({ type: 'varchar', length: 36 })
  workerId!: string;

  /**
   * The basic cell of the resident when the visit was recorded (for a visit older than the
   * column, when the column was added); exposed through `cell`. Null only for such an older
   * visit whose resident was then registered nowhere in the visit's area.
   */
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  cellId!: string | null;

  @Field({ description: '行政区划代码 · 12-digit area code of the visited resident’s village or community' })
  @Sharing('UNCONDITIONAL')
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;
}
