import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateScalar } from '../../kit/scalars';
import { Gender } from './enums';

@ObjectType({ description: '居民 · A person registered with civil affairs (民政)' })
@Directive('@key(fields: "id")')
@Entity('resident')
export class Resident {
  @Field(() => ID, { description: '居民标识 · Opaque identifier of the resident; never the ID number' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => String, { nullable: true, description: '姓名 · Full name' })
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Field(() => Gender, { description: '性别 · Gender' })
  @Column({ type: 'varchar', length: 8 })
  gender!: Gender;

  @Field(() => DateScalar, { nullable: true, description: '出生日期 · Date of birth' })
  @Column({ type: 'date' })
  birthDate!: string;

  @Field(() => String, { nullable: true, description: '公民身份号码 · National ID number (GB 11643, 18 characters)' })
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 18 })
  idNumber!: string;

  @Field(() => String, { nullable: true, description: '手机号码 · Mobile phone number (11 digits)' })
  @Column({ type: 'varchar', length: 11 })
  phone!: string;

  @Field({ description: '行政区划代码 · 12-digit statistical area code of the village or community of residence' })
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;

  @Field(() => String, { nullable: true, description: '住址 · Residential address' })
  @Column({ type: 'varchar', length: 200 })
  address!: string;

  /** Link to the household; exposed only through the `household` field. */
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  householdId!: string | null;
}
