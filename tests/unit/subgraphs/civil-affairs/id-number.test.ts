import { birthDateOf, checkIdNumber, computeCheckCharacter, genderOf } from '../../../../subgraphs/civil-affairs/domain/id-number';
import { Gender } from '../../../../subgraphs/civil-affairs/entities/enums';

describe('GB 11643 citizen identification numbers', () => {
  it.each([
    // The two worked examples printed in GB 11643-1999.
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['61092119880314124', '7'],
  ])('computes the check character of %s as %s', (first17, check) => {
    expect(computeCheckCharacter(first17)).toBe(check);
  });

  it('reads the birth date and the sex digit', () => {
    expect(birthDateOf('11010519491231002X')).toBe('1949-12-31');
    expect(genderOf('11010519491231002X')).toBe(Gender.FEMALE);
    expect(genderOf('440524188001010014')).toBe(Gender.MALE);
  });

  const female1949 = { birthDate: '1949-12-31', gender: Gender.FEMALE };
  it.each<[string, string, { birthDate: string; gender: Gender }, string[]]>([
    ['a valid number', '11010519491231002X', female1949, []],
    ['a lower-case x', '11010519491231002x', female1949, ['idNumber must be 17 digits followed by a digit or an upper-case X']],
    ['17 characters', '11010519491231002', female1949, ['idNumber must be 17 digits followed by a digit or an upper-case X']],
    ['a leading zero', '01010519491231002X', female1949, ['idNumber must be 17 digits followed by a digit or an upper-case X']],
    ['a wrong check character', '110105194912310021', female1949, ['idNumber check character does not match (GB 11643)']],
    [
      'a different birth date',
      '11010519491231002X',
      { ...female1949, birthDate: '1949-12-30' },
      ['idNumber birth date does not agree with birthDate'],
    ],
    [
      'the other gender',
      '11010519491231002X',
      { ...female1949, gender: Gender.MALE },
      ['idNumber sex digit (17th) does not agree with gender'],
    ],
    [
      'an impossible date and a wrong check character',
      '110105194902300021',
      { birthDate: '1949-02-28', gender: Gender.FEMALE },
      ['idNumber check character does not match (GB 11643)', 'idNumber does not contain a valid birth date'],
    ],
  ])('%s', (_case, idNumber, claims, problems) => {
    expect(checkIdNumber(idNumber, claims)).toEqual(problems);
  });

  it('never quotes the number in a message', () => {
    const number = '110105194912310021';
    for (const message of checkIdNumber(number, { birthDate: '1950-01-01', gender: Gender.MALE })) expect(message).not.toContain('1101');
  });
});
