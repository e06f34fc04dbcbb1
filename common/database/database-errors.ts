/**
 * Recognising database errors across PostgreSQL and SQLite, so that a
 * constraint the database enforces becomes a clear BAD_USER_INPUT rather
 * than an internal error.
 */
interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

function driverErrorOf(error: unknown): DriverError {
  if (error === null || typeof error !== 'object') return {};
  return ((error as { driverError?: DriverError }).driverError ?? error) as DriverError;
}

/**
 * A unique index refused a row. `index` names it as created by the
 * migrations; SQLite reports columns instead of the index name, so
 * `sqliteColumns` is what its message lists, e.g. "resident.id_number".
 */
export function isUniqueViolation(error: unknown, index: string, sqliteColumns: string): boolean {
  const driver = driverErrorOf(error);
  if (driver.code === '23505') return driver.constraint === index;
  return (
    typeof driver.code === 'string' &&
    driver.code.startsWith('SQLITE_CONSTRAINT') &&
    typeof driver.message === 'string' &&
    driver.message.includes(`UNIQUE constraint failed: ${sqliteColumns}`)
  );
}

/** PostgreSQL refused a value for its column type or encoding (SQLSTATE class 22), e.g. a NUL character in text. */
export function isInvalidValue(error: unknown): boolean {
  const { code } = driverErrorOf(error);
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
