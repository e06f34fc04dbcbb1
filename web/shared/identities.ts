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

/** What the gateway accepts (GET /auth/config): the issuer and audience of its tokens, and whether it is the sandbox. */
export interface AuthConfig {
  issuer: string;
  audience: string;
  sandbox: boolean;
}

export async function authConfig(): Promise<AuthConfig | undefined> {
  const response = await fetch('/auth/config', { headers: { accept: 'application/json' } });
  return response.ok ? ((await response.json()) as AuthConfig) : undefined;
}

/** The sandbox's sample identities; none (an empty list) outside the sandbox, where tokens come from the identity provider. */
export async function sampleIdentities(): Promise<SampleIdentity[]> {
  // Outside the sandbox the route does not exist: not asked for at all.
  if (!(await authConfig())?.sandbox) return [];
  const response = await fetch('/sandbox/identities', { headers: { accept: 'application/json' } });
  if (!response.ok) return [];
  return ((await response.json()) as { identities: SampleIdentity[] }).identities;
}
