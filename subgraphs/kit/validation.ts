import { Matches } from 'class-validator';

/** Text that is more than white space (class-validator's MinLength counts spaces). */
export function NotBlank(): PropertyDecorator {
  return Matches(/\S/, { message: '$property must not be blank' });
}
