import type { Migration } from './migrate';

/** The replay guard's accepted nonces (verifier.ts), in their own storage. Ledger: `nonce_migration`. */
export const NONCE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accepted nonces',
    sqlite: [
      'CREATE TABLE accepted_nonce (nonce VARCHAR(64) PRIMARY KEY, remember_until BIGINT NOT NULL)',
      'CREATE INDEX idx_accepted_nonce_until ON accepted_nonce (remember_until)',
    ],
    postgres: [
      'CREATE TABLE accepted_nonce (nonce VARCHAR(64) PRIMARY KEY, remember_until BIGINT NOT NULL)',
      'CREATE INDEX idx_accepted_nonce_until ON accepted_nonce (remember_until)',
    ],
  },
];
