import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeScalar } from '../../kit/scalars';
import { PetitionAction } from './enums';
import { Sharing } from '../../kit/sharing';

@ObjectType({ description: '办理记录 · One step in handling a petition' })
@Entity('petition_step')
@Sharing('NONE')
export class PetitionStep {
  /** Steps are listed in `seq` order; identifiers stay internal. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  petitionId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Field(() => DateTimeScalar, { description: '时间 · When the step was taken' })
  @Column({ type: 'varchar', length: 24 })
  at!: string;

  @Field(() => PetitionAction, { description: '环节 · What was done' })
  @Column({ type: 'varchar', length: 16 })
  action!: PetitionAction;

  @Field({ description: '办理单位 · Department that took the step' })
  @Column({ type: 'varchar', length: 40 })
  department!: string;

  @Field(() => String, { nullable: true, description: '说明 · Note recorded with the step' })
  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
