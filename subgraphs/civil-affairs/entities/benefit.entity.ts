import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateScalar } from '../../kit/scalars';
import { BenefitStatus, BenefitType } from './enums';
import { Sharing } from '../../kit/sharing';

@ObjectType({ description: '社会救助 · A social-assistance benefit granted to a resident' })
@Entity('benefit')
@Sharing('CONDITIONAL')
export class Benefit {
  @Field(() => ID, { description: '救助标识 · Opaque identifier of the benefit' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => BenefitType, { nullable: true, description: '救助类型 · Kind of benefit' })
  @Column({ type: 'varchar', length: 32 })
  type!: BenefitType;

  @Field(() => BenefitStatus, { nullable: true, description: '状态 · Whether it is being paid' })
  @Column({ type: 'varchar', length: 16 })
  status!: BenefitStatus;

  @Field(() => Float, { nullable: true, description: '月发放金额（元） · Monthly amount in yuan' })
  @Sharing('NONE')
  @Column({ type: 'double precision' })
  monthlyAmount!: number;

  @Field(() => DateScalar, { nullable: true, description: '起始日期 · First day paid' })
  @Column({ type: 'date' })
  startDate!: string;

  @Field(() => DateScalar, { nullable: true, description: '终止日期 · Last day paid, if ended' })
  @Column({ type: 'date', nullable: true })
  endDate!: string | null;

  /** The recipient; exposed only through the `resident` field. */
  @Index()
  @Column({ type: 'varchar', length: 36 })
  residentId!: string;

  /** Copied from the recipient so jurisdiction filters need no join. */
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;
}
