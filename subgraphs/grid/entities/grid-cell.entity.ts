import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Sharing } from '../../kit/sharing';

@ObjectType({
  description: '网格 · A grid cell: level 1 a village or community, level 2 a group, level 3 a basic cell with one grid worker',
})
@Directive('@key(fields: "id")')
@Entity('grid_cell')
@Sharing('UNCONDITIONAL')
export class GridCell {
  @Field(() => ID, { description: '网格标识 · Opaque identifier of the cell' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field({ description: '网格编码 · Hierarchical code: the area code, then 2 digits per level below it' })
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  code!: string;

  @Field({ description: '网格名称 · Name of the cell' })
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Field(() => Int, { description: '网格层级 · 1 village/community, 2 group, 3 basic cell' })
  @Column({ type: 'integer' })
  level!: number;

  @Field({ description: '行政区划代码 · 12-digit area code of the village or community' })
  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;

  /** The enclosing cell; exposed through `parent`. */
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  parentId!: string | null;

  /** The worker of a basic cell; exposed through `worker`. */
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  workerId!: string | null;
}
