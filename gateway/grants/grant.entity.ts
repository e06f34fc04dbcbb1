import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A data-sharing agreement as stored in the gateway's own database. */
@Entity('grant')
export class GrantRecord {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  consumer!: string;

  /** Field coordinates, JSON. */
  @Column({ type: 'simple-json' })
  fields!: string[];

  @Column({ type: 'simple-json' })
  purposes!: string[];

  /** Coordinates of `fields` sent masked, JSON. */
  @Column({ type: 'simple-json' })
  masked!: string[];

  @Column({ type: 'varchar', length: 24 })
  validFrom!: string;

  @Column({ type: 'varchar', length: 24 })
  validUntil!: string;

  @Column({ type: 'varchar', length: 24, nullable: true })
  revokedAt!: string | null;
}
