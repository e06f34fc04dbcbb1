import { isCalendarDate } from '../../kit/scalars';
import { Gender } from '../entities/enums';

/**
 * Citizen identification number, GB 11643-1999: 6-digit area code, 8-digit
 * birth date, 3-digit sequence whose last digit is odd for men and even for
 * women, and an ISO 7064 MOD 11-2 check character.
 *
 * Messages name the rule that failed and never the number itself.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^[1-9]\d{16}[\dX]$/;

/** The check character for the first 17 digits. */
export function computeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

export function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

export function genderOf(idNumber: string): Gender {
  return Number(idNumber[16]) % 2 === 1 ? Gender.MALE : Gender.FEMALE;
}

export interface IdNumberClaims {
  birthDate: string;
  gender: Gender;
}

/** Every rule the number breaks, as messages; empty when the number is valid and agrees with the claims. */
export function checkIdNumber(idNumber: string, claims: IdNumberClaims): string[] {
  if (!SHAPE.test(idNumber)) {
    return ['idNumber must be 17 digits followed by a digit or an upper-case X'];
  }
  const problems: string[] = [];
  if (computeCheckCharacter(idNumber.slice(0, 17)) !== idNumber[17]) {
    problems.push('idNumber check character does not match (GB 11643)');
  }
  const embedded = birthDateOf(idNumber);
  if (!isCalendarDate(embedded)) {
    problems.push('idNumber does not contain a valid birth date');
  } else if (embedded !== claims.birthDate) {
    problems.push('idNumber birth date does not agree with birthDate');
  }
  if (genderOf(idNumber) !== claims.gender) {
    problems.push('idNumber sex digit (17th) does not agree with gender');
  }
  return problems;
}
