import { AREA_PREFIX } from '../../common/area-code';

/**
 * The SQL condition "`column` starts with one of `prefixes`", for the
 * caller's areas and for an area asked about. Written as ranges an index on
 * the column serves: equality for a whole 12-digit code, else from the
 * prefix up to (not including) the next prefix of the same length. No
 * prefixes: no rows.
 */
export function withinAreas(column: string, prefixes: readonly string[]): { text: string; params: string[] } {
  if (prefixes.length === 0) return { text: '1 = 0', params: [] };
  const params: string[] = [];
  const clauses = prefixes.map((prefix) => {
    if (!AREA_PREFIX.test(prefix)) throw new Error('area prefixes are 2 to 12 digits');
    if (prefix.length === 12) {
      params.push(prefix);
      return `${column} = ?`;
    }
    if (/^9+$/.test(prefix)) {
      params.push(prefix);
      return `${column} >= ?`;
    }
    params.push(prefix, (BigInt(prefix) + 1n).toString().padStart(prefix.length, '0'));
    return `(${column} >= ? AND ${column} < ?)`;
  });
  return { text: `(${clauses.join(' OR ')})`, params };
}
