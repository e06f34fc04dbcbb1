import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Sharing } from '../../kit/sharing';

@ObjectType({ description: '户 · A household (一户一档): the people registered at one address' })
@Directive('@key(fields: "id")')
@Entity('household')
@Sharing('CONDITIONAL')
export class Household {
  @Field(() => ID, { description: '户标识 · Opaque identifier of the household' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => String, { nullable: true, description: '行政区划代码 · 12-digit area code of the household' })
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;

  @Field(() => String, { nullable: true, description: '户籍地址 · Address of the household' })
  @Column({ type: 'varchar', length: 200 })
  address!: string;

  /** The head of household; exposed only through the `head` field. */
  @Column({ type: 'varchar', length: 36 })
  headId!: string;
}
