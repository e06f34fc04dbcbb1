import { isInvalidValue, isUniqueViolation } from '../../../../common/database/database-errors';

describe('recognising database errors', () => {
  const postgresDuplicate = { driverError: { code: '23505', constraint: 'idx_resident_id_number' } };
  const sqliteDuplicate = { driverError: { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: resident.id_number' } };

  it.each([
    ['PostgreSQL, that index', postgresDuplicate, true],
    ['PostgreSQL, another index', { driverError: { code: '23505', constraint: 'idx_other' } }, false],
    ['SQLite, that column', sqliteDuplicate, true],
    [
      'SQLite, another column',
      { driverError: { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: resident.id' } },
      false,
    ],
    ['something else', new Error('boom'), false],
    ['undefined', undefined, false],
    ['null', null, false],
  ])('a unique violation of idx_resident_id_number: %s → %s', (_case, error, expected) => {
    expect(isUniqueViolation(error, 'idx_resident_id_number', 'resident.id_number')).toBe(expected);
  });

  it.each([
    [{ driverError: { code: '22021' } }, true],
    [{ driverError: { code: '22P02' } }, true],
    [{ driverError: { code: '23505' } }, false],
    [undefined, false],
    ['text', false],
  ])('an invalid value (SQLSTATE class 22): %j → %s', (error, expected) => {
    expect(isInvalidValue(error)).toBe(expected);
  });
});
