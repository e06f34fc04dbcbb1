import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateScalar } from '../../kit/scalars';
import { Sharing } from '../../kit/sharing';
import { Gender } from './enums';

@ObjectType({ description: '居民 · A person registered with civil affairs (民政)' })
@Directive('@key(fields: "id")')
@Entity('resident')
export class Resident {
  @Field(() => ID, { description: '居民标识 · Opaque identifier of the resident; never the ID number' })
  @Sharing('UNCONDITIONAL')
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => String, { nullable: true, description: '姓名 · Full name' })
  @Sharing('CONDITIONAL', { masker: 'NAME' })
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Field(() => Gender, { description: '性别 · Gender' })
  @Sharing('UNCONDITIONAL')
  @Column({ type: 'varchar', length: 8 })
  gender!: Gender;

  @Field(() => DateScalar, { nullable: true, description: '出生日期 · Date of birth' })
  @Sharing('CONDITIONAL', { masker: 'YEAR' })
  @Column({ type: 'date' })
  birthDate!: string;

  @Field(() => String, { nullable: true, description: '公民身份号码 · National ID number (GB 11643, 18 characters)' })
  @Sharing('CONDITIONAL', { masker: 'ID_NUMBER' })
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 18 })
  idNumber!: string;

  @Field(() => String, { nullable: true, description: '手机号码 · Mobile phone number (11 digits)' })
  @Sharing('CONDITIONAL', { masker: 'PHONE' })
  @Column({ type: 'varchar', length: 11 })
  phone!: string;

  @Field({ description: '行政区划代码 · 12-digit statistical area code of the village or community of residence' })
  @Sharing('UNCONDITIONAL')
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;

  @Field(() => String, { nullable: true, description: '住址 · Residential address' })
  @Sharing('CONDITIONAL', { masker: 'ADDRESS' })
  @Column({ type: 'varchar', length: 200 })
  address!: string;

  /** Link to the household; exposed only through the `household` field. */
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  householdId!: string | null;
}
