import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeScalar } from '../../kit/scalars';
import { IncidentCategory, IncidentStatus } from './enums';
import { Sharing } from '../../kit/sharing';
import { GridEvent } from '../types/grid-event.type';

@ObjectType({ description: '事件 · An incident reported from a grid cell and how it was handled', implements: GridEvent })
@Directive('@key(fields: "id")')
@Entity('incident')
@Sharing('UNCONDITIONAL')
export class Incident {
  @Field(() => ID, { description: '事件标识 · Opaque identifier of the incident' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => IncidentCategory, { description: '事件类别 · Kind of incident' })
  @Column({ type: 'varchar', length: 24 })
  category!: IncidentCategory;

  @Field(() => String, { nullable: true, description: '事件描述 · What was reported' })
  @Sharing('CONDITIONAL')
  @Column({ type: 'text' })
  description!: string;

  @Field(() => IncidentStatus, { description: '事件状态 · Where handling stands' })
  @Column({ type: 'varchar', length: 16 })
  status!: IncidentStatus;

  @Field(() => String, { nullable: true, description: '派遣单位 · Department the incident was dispatched to' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  dispatchedTo!: string | null;

  @Field(() => DateTimeScalar, { description: '上报时间 · When it was reported' })
  @Column({ type: 'varchar', length: 24 })
  reportedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: '办结时间 · When it was resolved' })
  @Column({ type: 'varchar', length: 24, nullable: true })
  resolvedAt!: string | null;

  @Field(() => String, { nullable: true, description: '处理结果 · How it was resolved' })
  @Sharing('CONDITIONAL')
  @Column({ type: 'text', nullable: true })
  resolution!: string | null;

  @Field({ description: '行政区划代码 · 12-digit area code of the cell' })
  @Sharing('UNCONDITIONAL')
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;

  /** The cell it was reported from; exposed through `cell`. */
  @Index()
  @Column({ type: 'varchar', length: 36 })
  cellId!: string;

  /** The reporting worker; exposed through `reportedBy`. */
  @Column({ type: 'varchar', length: 36 })
  reportedById!: string;
}
