/**
 * Who is signed in, for the pages: the token's claims, read in the browser
 * to decide what to offer. The gateway decides what is allowed; the console
 * only avoids offering a step the gateway would refuse.
 */
import { createContext, useContext } from 'react';
import { DATA_OFFICE, type Claims } from './api';

export interface Session {
  claims: Claims;
  /** The data authority's steward: reviews, coordinates, sees everything, may revoke any grant. */
  dataOffice: boolean;
  department: string;
}

export function sessionOf(claims: Claims): Session {
  return { claims, dataOffice: claims.department === DATA_OFFICE, department: claims.department };
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in steward; pages render only inside a session. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a session');
  return session;
}
