import { Writable } from 'node:stream';
import { createLogger, serializeError } from '../../../common/logger';

/** A database error as TypeORM raises it: the statement's parameters and the driver's detail hold personal data. */
function uniqueViolation(): Error {
  const error = new Error('duplicate key value violates unique constraint "idx_resident_id_number"') as Error & Record<string, unknown>;
  Object.assign(error, {
    query: 'INSERT INTO "resident"("id", "name", "id_number") VALUES ($1, $2, $3)',
    parameters: ['r1', '陈晓梅', '610921198803143023'],
    driverError: {
      code: '23505',
      constraint: 'idx_resident_id_number',
      table: 'resident',
      detail: 'Key (id_number)=(610921198803143023) already exists.',
    },
  });
  return error;
}

describe('logging errors', () => {
  it('keeps what the error is and drops the data it carries', () => {
    expect(serializeError(uniqueViolation())).toEqual({
      type: 'Error',
      message: 'duplicate key value violates unique constraint "idx_resident_id_number"',
      code: '23505',
      constraint: 'idx_resident_id_number',
      table: 'resident',
      stack: expect.any(String),
    });
  });

  it('writes no personal value to the log line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    createLogger('test', 'info', sink).error({ err: uniqueViolation(), parameters: ['陈晓梅'] }, 'SQL statement failed');
    const text = lines.join('');
    expect(text).toContain('idx_resident_id_number');
    expect(text).not.toMatch(/610921198803143023|陈晓梅/);
  });
});
