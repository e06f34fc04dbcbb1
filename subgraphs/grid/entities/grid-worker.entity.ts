import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Sharing } from '../../kit/sharing';

@ObjectType({ description: '网格员 · A grid worker, responsible for one or more basic cells' })
@Directive('@key(fields: "id")')
@Entity('grid_worker')
@Sharing('UNCONDITIONAL')
export class GridWorker {
  @Field(() => ID, { description: '网格员标识 · Opaque identifier of the worker' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field({ description: '姓名 · Name of the worker' })
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Field({ description: '工作电话 · Work phone of the worker' })
  @Column({ type: 'varchar', length: 11 })
  phone!: string;

  /** Village or community the worker serves; used for jurisdiction. */
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;
}
