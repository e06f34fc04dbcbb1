import { formatPublicError, scrubValues } from '../../../common/errors';

describe('errors leaving a service', () => {
  it.each([
    [
      'Variable "$input" got invalid value "110105194912310021" at "input.idNumber"; String cannot represent a non string value: 1',
      'Variable "$input" has an invalid value at "input.idNumber"',
    ],
    [
      'Variable "$d" got invalid value "13/45/2026"; Date must be a calendar date written YYYY-MM-DD',
      'Variable "$d" has an invalid value: Date must be a calendar date written YYYY-MM-DD',
    ],
    ['Variable "$g" got invalid value "X"; Value "X" does not exist in "Gender" enum.', 'Variable "$g" has an invalid value'],
    [
      'Expected value of type "Date", found "1949-13-01"; Date must be a calendar date',
      'Expected value of type "Date", found an invalid literal',
    ],
    ['Cannot query field "salary" on type "Resident".', 'Cannot query field "salary" on type "Resident".'],
  ])('scrubs submitted values from %j', (message, expected) => {
    expect(scrubValues(message)).toBe(expected);
  });

  it('keeps known codes with their message and drops stack traces', () => {
    expect(formatPublicError({ message: 'nope', extensions: { code: 'INVALID_TRANSITION', stacktrace: ['at x.ts:1'] } })).toEqual({
      message: 'nope',
      extensions: { code: 'INVALID_TRANSITION' },
    });
  });

  it('hides unknown errors behind INTERNAL, keeping only the path', () => {
    expect(
      formatPublicError({
        message: 'SQLITE_CONSTRAINT: UNIQUE constraint failed: resident.id_number',
        path: ['registerResident'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ).toEqual({
      message: 'Internal server error',
      path: ['registerResident'],
      extensions: { code: 'INTERNAL' },
    });
  });

  it('reports malformed documents as BAD_USER_INPUT', () => {
    expect(formatPublicError({ message: 'Syntax Error: Unexpected <EOF>.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } })).toEqual({
      message: 'Syntax Error: Unexpected <EOF>.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('scrubbing literal values from validation messages', () => {
  it.each([
    ['String cannot represent a non string value: 610921198803143023', 'String cannot represent a non string value'],
    ['Int cannot represent non-integer value: "十二"', 'Int cannot represent non-integer value'],
    ['Enum "Gender" cannot represent non-enum value: "男性".', 'Enum "Gender" cannot represent non-enum value'],
    ['Value "男性" does not exist in "Gender" enum. Did you mean the enum value "MALE"?', 'Value does not exist in "Gender" enum'],
  ])('%j becomes %j', (message, expected) => {
    expect(scrubValues(message)).toBe(expected);
  });
});
