import type { Migration } from './migrate';

/** The department's records: one employment record per resident, pension payments by month. Ledger: `schema_migration`. */
export const RECORD_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'employment and pension payments',
    sqlite: [
      `CREATE TABLE employment (
        id VARCHAR(36) PRIMARY KEY,
        resident_id VARCHAR(36) NOT NULL UNIQUE,
        area_code CHAR(12) NOT NULL,
        status VARCHAR(24) NOT NULL CHECK (status IN ('EMPLOYED', 'UNEMPLOYED_REGISTERED', 'RETIRED', 'FLEXIBLE')),
        employer_name VARCHAR(100),
        since CHAR(10) NOT NULL
      )`,
      'CREATE INDEX idx_employment_area_status ON employment (area_code, status)',
      `CREATE TABLE pension_payment (
        id VARCHAR(36) PRIMARY KEY,
        resident_id VARCHAR(36) NOT NULL,
        area_code CHAR(12) NOT NULL,
        month CHAR(7) NOT NULL,
        scheme VARCHAR(24) NOT NULL CHECK (scheme IN ('URBAN_EMPLOYEE', 'URBAN_RURAL_RESIDENT')),
        amount REAL NOT NULL CHECK (amount >= 0),
        paid_on CHAR(10) NOT NULL,
        UNIQUE (resident_id, month, scheme)
      )`,
    ],
    postgres: [
      `CREATE TABLE employment (
        id VARCHAR(36) PRIMARY KEY,
        resident_id VARCHAR(36) NOT NULL UNIQUE,
        area_code CHAR(12) NOT NULL,
        status VARCHAR(24) NOT NULL CHECK (status IN ('EMPLOYED', 'UNEMPLOYED_REGISTERED', 'RETIRED', 'FLEXIBLE')),
        employer_name VARCHAR(100),
        since DATE NOT NULL
      )`,
      'CREATE INDEX idx_employment_area_status ON employment (area_code, status)',
      `CREATE TABLE pension_payment (
        id VARCHAR(36) PRIMARY KEY,
        resident_id VARCHAR(36) NOT NULL,
        area_code CHAR(12) NOT NULL,
        month CHAR(7) NOT NULL,
        scheme VARCHAR(24) NOT NULL CHECK (scheme IN ('URBAN_EMPLOYEE', 'URBAN_RURAL_RESIDENT')),
        amount NUMERIC(10, 2) NOT NULL CHECK (amount >= 0),
        paid_on DATE NOT NULL,
        UNIQUE (resident_id, month, scheme)
      )`,
    ],
  },
];
