import type { JWTPayload } from 'jose';
import { AREA_PREFIX } from '../../common/area-code';
import { UnauthenticatedError } from '../../common/errors';

/** Who is calling, as the verified token says. */
export interface Identity {
  sub: string;
  name: string;
  department: string;
  roles: string[];
  /** Area-code prefixes of the caller's jurisdiction; `610921` is the whole county. */
  areas: string[];
}

const TOKEN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The identity in a verified token's claims; names the first claim that is missing or malformed, never its value. */
export function identityFromClaims(payload: JWTPayload): Identity {
  const { sub, name, department, roles, areas } = payload as Record<string, unknown>;
  const list = (value: unknown, item: RegExp) =>
    Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && item.test(v));
  if (typeof sub !== 'string' || !TOKEN.test(sub)) throw new UnauthenticatedError('token claim "sub" is missing or malformed');
  if (typeof department !== 'string' || !TOKEN.test(department))
    throw new UnauthenticatedError('token claim "department" is missing or malformed');
  if (!list(roles, TOKEN)) throw new UnauthenticatedError('token claim "roles" must be a non-empty list of role names');
  if (!list(areas, AREA_PREFIX))
    throw new UnauthenticatedError('token claim "areas" must be a non-empty list of area-code prefixes (2-12 digits)');
  if (name !== undefined && typeof name !== 'string') throw new UnauthenticatedError('token claim "name" must be text');
  return { sub, name: name ?? sub, department, roles: roles as string[], areas: areas as string[] };
}
