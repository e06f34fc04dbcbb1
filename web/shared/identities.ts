/** A sample identity the sandbox offers, with a token minted for it (GET /sandbox/identities). */
export interface SampleIdentity {
  key: string;
  label: string;
  department: string;
  roles: string[];
  areas: string[];
  purpose: string;
  token: string;
}

export const PURPOSES = ['service', 'assistance', 'petition_handling', 'statistics', 'supervision'] as const;

/** The sandbox's sample identities; none (an empty list) outside the sandbox, where tokens come from the identity provider. */
export async function sampleIdentities(): Promise<SampleIdentity[]> {
  const response = await fetch('/sandbox/identities', { headers: { accept: 'application/json' } });
  if (!response.ok) return [];
  return ((await response.json()) as { identities: SampleIdentity[] }).identities;
}
