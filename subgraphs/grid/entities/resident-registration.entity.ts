import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CareLevel } from './enums';

/**
 * Which basic cell a resident lives in, and how closely they are followed.
 * Resident ids only: the grid department keeps no copy of personal data.
 */
@Entity('resident_registration')
export class ResidentRegistration {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  residentId!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  cellId!: string;

  @Column({ type: 'varchar', length: 16 })
  careLevel!: CareLevel;

  @Index()
  @Column({ type: 'varchar', length: 12 })
  areaCode!: string;
}
