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

  /** The sharing request it was approved on (none for a grant made by hand). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  requestId!: string | null;

  /** The department whose fields it shares. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  provider!: string | null;

  /** Area-code prefixes it was approved for: it applies to a caller whose areas all lie within them. None: every area. */
  @Column({ type: 'simple-json', nullable: true })
  areas!: string[] | null;

  @Column({ type: 'text', nullable: true })
  revokedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  revokedReason!: string | null;

  /** When its expiry was recorded as a step of its request (once, by whichever replica saw it first). */
  @Column({ type: 'varchar', length: 24, nullable: true })
  expiryRecordedAt!: string | null;
}
