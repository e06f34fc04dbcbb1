import type { Grant } from './policy';

/** Where the gateway reads grants from; `version` changes whenever the set of active grants does. */
export interface GrantSource {
  current(): { grants: readonly Grant[]; version: string };
}

const YEAR_MS = 366 * 86_400_000;

/** The sandbox's grants G1–G5 (listed in docs/access-control.md), valid for a year from `from`. */
export function sandboxGrants(from: Date): Grant[] {
  const validFrom = from.toISOString();
  const validUntil = new Date(from.getTime() + YEAR_MS).toISOString();
  const grant = (id: string, consumer: string, fields: string[], purposes: string[], masked: string[] = []): Grant => ({
    id,
    consumer,
    fields,
    purposes,
    masked,
    validFrom,
    validUntil,
    revokedAt: null,
  });
  return [
    grant(
      'G1',
      'grid',
      ['Resident.name', 'Resident.phone', 'Resident.address', 'Resident.idNumber', 'Resident.benefits', 'Benefit.type', 'Benefit.status'],
      ['assistance'],
      ['Resident.idNumber'],
    ),
    grant(
      'G2',
      'petitions',
      ['Resident.name', 'Resident.phone', 'Resident.address', 'Resident.idNumber'],
      ['petition_handling'],
      ['Resident.idNumber'],
    ),
    grant('G3', 'civil-affairs', ['Resident.careLevel', 'Resident.visits', 'Visit.visitedAt', 'Visit.followUpNeeded'], ['assistance']),
    grant('G4', 'grid', ['Resident.petitions', 'Petition.subject'], ['petition_handling']),
    // 居民家庭经济状况核对: civil affairs checks a family's means before granting a minimum living allowance.
    grant(
      'G5',
      'civil-affairs',
      [
        'Resident.employment',
        'Resident.pensions',
        'Employment.status',
        'Employment.since',
        'PensionPayment.month',
        'PensionPayment.amount',
      ],
      ['assistance'],
    ),
  ];
}
