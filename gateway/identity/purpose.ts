import { PurposeRequiredError } from '../../common/errors';

/** Why the caller wants the data; every request declares one in X-Purpose (docs/access-control.md). */
export const PURPOSES = ['service', 'assistance', 'petition_handling', 'statistics', 'supervision'] as const;
export type Purpose = (typeof PURPOSES)[number];

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

export function purposeFrom(header: string | string[] | undefined): Purpose {
  if (isPurpose(header)) return header;
  throw new PurposeRequiredError(
    header === undefined ? `X-Purpose is required: one of ${PURPOSES.join(', ')}` : `X-Purpose must be one of ${PURPOSES.join(', ')}`,
  );
}
