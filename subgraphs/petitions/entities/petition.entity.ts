import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeScalar } from '../../kit/scalars';
import { PetitionCategory, PetitionChannel, PetitionStatus, RiskLevel, Satisfaction } from './enums';
import { Sharing } from '../../kit/sharing';

@ObjectType({ description: '信访事项 · A petition (letter, visit, online or hotline) and how it is being handled' })
@Directive('@key(fields: "id")')
@Entity('petition')
export class Petition {
  @Field(() => ID, { description: '信访事项标识 · Opaque identifier of the petition' })
  @Sharing('UNCONDITIONAL')
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field({ description: '信访件编号 · Tracking number given to the petitioner' })
  @Sharing('UNCONDITIONAL')
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 24 })
  trackingNumber!: string;

  @Field(() => PetitionChannel, { description: '信访渠道 · How it arrived' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 16 })
  channel!: PetitionChannel;

  @Field(() => PetitionCategory, { description: '事项分类 · Subject area' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 32 })
  category!: PetitionCategory;

  @Field(() => String, { nullable: true, description: '标题 · Short subject line' })
  @Sharing('CONDITIONAL')
  @Column({ type: 'varchar', length: 100 })
  subject!: string;

  @Field(() => String, { nullable: true, description: '诉求内容 · What the petitioner asks for, in their words' })
  @Sharing('NONE')
  @Column({ type: 'text' })
  content!: string;

  @Field({ description: '行政区划代码 · 12-digit area code of the place concerned' })
  @Sharing('UNCONDITIONAL')
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;

  @Field(() => PetitionStatus, { description: '办理状态 · Where the petition stands' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 16 })
  status!: PetitionStatus;

  @Field(() => RiskLevel, { description: '风险等级 · Assessed risk of escalation' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 8 })
  riskLevel!: RiskLevel;

  @Field(() => String, { nullable: true, description: '承办单位 · Department the petition was assigned to' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 40, nullable: true })
  assignedDepartment!: string | null;

  @Field(() => DateTimeScalar, { description: '登记时间 · When it was received' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 24 })
  receivedAt!: string;

  @Field(() => DateTimeScalar, { description: '受理期限 · Acceptance decision due (received + 15 days)' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 24 })
  acceptanceDueAt!: string;

  /** When it was accepted; the response deadline counts from here. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  acceptedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: '答复期限 · Response due (accepted + 60 days)' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 24, nullable: true })
  responseDueAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: '答复时间 · When it was answered' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 24, nullable: true })
  respondedAt!: string | null;

  @Field(() => String, { nullable: true, description: '答复意见 · The answer given' })
  @Sharing('NONE')
  @Column({ type: 'text', nullable: true })
  response!: string | null;

  @Field(() => Satisfaction, { nullable: true, description: '满意度 · The petitioner’s rating, once closed' })
  @Sharing('CONDITIONAL')
  @Column({ type: 'varchar', length: 24, nullable: true })
  satisfaction!: Satisfaction | null;

  /** The petitioner (a civil-affairs resident); exposed only as a reference through `petitioner`. */
  @Index()
  @Column({ type: 'varchar', length: 36 })
  petitionerId!: string;
}
