import { createHmac } from 'node:crypto';
import type { MaskerName } from './policy';

/**
 * Transformations for fields another department may see only in part
 * (docs/access-control.md). Each returns the masked form or null; never the raw value.
 */
export type Masker = (value: string) => string | null;

const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '夏侯', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '令狐'];

export function maskIdNumber(value: string): string | null {
  return /^\d{17}[\dX]$/.test(value) ? `${value.slice(0, 6)}********${value.slice(14)}` : null;
}

export function maskPhone(value: string): string | null {
  return /^\d{11}$/.test(value) ? `${value.slice(0, 3)}****${value.slice(7)}` : null;
}

export function maskName(value: string): string | null {
  const chars = [...value];
  if (chars.length < 2) return chars.length === 1 ? '*' : null;
  const surname = COMPOUND_SURNAMES.find((compound) => value.startsWith(compound) && chars.length > 2) ?? chars[0]!;
  return surname + '*'.repeat(chars.length - [...surname].length);
}

/** Up to the village or community (村 / 社区 / 居委会), the rest `***`. */
export function maskAddress(value: string): string | null {
  const match = /^.*?(村|社区|居委会)/.exec(value);
  return match ? `${match[0]}***` : null;
}

export function maskYear(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 4) : null;
}

/** A keyed hash: the same value gives the same pseudonym under one key, and reveals nothing without it. */
export function pseudonymMasker(key: Buffer): Masker {
  return (value) => `p_${createHmac('sha256', key).update(value, 'utf8').digest('base64url').slice(0, 22)}`;
}

export function createMaskers(pseudonymKey: Buffer): Record<MaskerName, Masker> {
  return {
    ID_NUMBER: maskIdNumber,
    PHONE: maskPhone,
    NAME: maskName,
    ADDRESS: maskAddress,
    YEAR: maskYear,
    PSEUDONYM: pseudonymMasker(pseudonymKey),
  };
}

/** Applies `masker` to a value or a list of values; anything unexpected, or a masker that throws, yields null. */
export function applyMasker(masker: Masker, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => applyMasker(masker, item));
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    return masker(String(value));
  } catch {
    return null;
  }
}
