import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The sharing lifecycle as stored in the gateway's own database (the
 * migration in ./migrations states the tables). Read and written only by
 * SharingStore.
 */

@Entity('sharing_request')
export class SharingRequestRecord {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  consumer!: string;

  @Column({ type: 'text' })
  requestedBy!: string;

  @Column({ type: 'simple-json' })
  fields!: string[];

  @Column({ type: 'simple-json' })
  purposes!: string[];

  @Column({ type: 'simple-json' })
  masked!: string[];

  @Column({ type: 'simple-json', nullable: true })
  areas!: string[] | null;

  @Column({ type: 'text' })
  scenario!: string;

  @Column({ type: 'text' })
  basis!: string;

  @Column({ type: 'varchar', length: 24 })
  validUntil!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 24 })
  createdAt!: string;

  /** When the step the request waits on (review or coordination) is due; null while providers answer, or once closed. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  dueAt!: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  dueDate!: string | null;

  @Column({ type: 'boolean', nullable: true })
  dueEstimated!: boolean | null;

  /** Raised by every change: a step is taken only from the version it was decided on. */
  @Column({ type: 'integer' })
  version!: number;
}

@Entity('sharing_part')
export class SharingPartRecord {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  requestId!: string;

  @PrimaryColumn({ type: 'varchar', length: 40 })
  provider!: string;

  @Column({ type: 'simple-json' })
  fields!: string[];

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 24, nullable: true })
  dueAt!: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  dueDate!: string | null;

  @Column({ type: 'boolean', nullable: true })
  dueEstimated!: boolean | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  grantId!: string | null;
}

@Entity('sharing_step')
export class SharingStepRecord {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  requestId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 24 })
  at!: string;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  actorDepartment!: string | null;

  @Column({ type: 'varchar', length: 16 })
  action!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  provider!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** What an approval or coordination granted, as JSON text. */
  @Column({ type: 'text', nullable: true })
  conditions!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  grantId!: string | null;

  /** The gateway's id of the request that took the step: its audit record carries the same step. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  auditRequestId!: string | null;
}
