import Database from 'better-sqlite3';
import { areaPrefixCondition } from '../../../../subgraphs/kit/area-code';

/**
 * The area condition must select exactly the codes that start with the
 * prefix (what `LIKE 'prefix%'` selected before), and must be one an index
 * can serve: equality for a whole code, a range otherwise.
 */
describe('areaPrefixCondition', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (area_code varchar(12) NOT NULL); CREATE INDEX idx_t_area ON t (area_code)');
  const codes = [
    '610921100001',
    '610921100002',
    '610921101201',
    '610921109999',
    '610921199999',
    '610922000000',
    '610929000001',
    '610930000000',
    '610919999999',
    '619999999999',
    '990000000000',
    '999999999999',
    '000000000001',
    '610920999999',
  ];
  const insert = db.prepare('INSERT INTO t (area_code) VALUES (?)');
  for (const code of codes) insert.run(code);

  /** Runs the condition through SQLite with its named parameters, as TypeORM would bind them. */
  function select(prefix: string): { matched: string[]; plan: string } {
    const { sql, parameters } = areaPrefixCondition('area_code', prefix, 'p');
    const where = sql.replace(/:(\w+)/g, '@$1');
    const matched = (
      db.prepare(`SELECT area_code FROM t WHERE ${where} ORDER BY area_code`).all(parameters) as { area_code: string }[]
    ).map((r) => r.area_code);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT area_code FROM t WHERE ${where}`).all(parameters) as { detail: string }[])
      .map((r) => r.detail)
      .join(' ');
    return { matched, plan };
  }

  it.each([
    '610921',
    '6109211',
    '610921109',
    '610929',
    '61092',
    '6109',
    '61',
    '99',
    '999999',
    '00',
    '610921100001',
    '610921109999',
    '999999999999',
  ])('selects exactly the codes that start with %s, through the index', (prefix) => {
    const { matched, plan } = select(prefix);
    expect(matched).toEqual(codes.filter((code) => code.startsWith(prefix)).sort());
    expect(plan).toMatch(/SEARCH t USING COVERING INDEX idx_t_area/);
  });

  it('uses equality for a whole 12-digit code and a half-open range of digits otherwise', () => {
    expect(areaPrefixCondition('c', '610921101201', 'p')).toEqual({ sql: 'c = :p', parameters: { p: '610921101201' } });
    expect(areaPrefixCondition('c', '610929', 'p')).toEqual({
      sql: '(c >= :p AND c < :p_end)',
      parameters: { p: '610929', p_end: '610930' },
    });
    expect(areaPrefixCondition('c', '0919', 'p').parameters).toEqual({ p: '0919', p_end: '0920' });
    expect(areaPrefixCondition('c', '999', 'p')).toEqual({ sql: 'c >= :p', parameters: { p: '999' } });
  });

  it('refuses anything but 2 to 12 digits, so no wildcard or quote reaches SQL', () => {
    for (const bad of ['', '6', '61%', "61'", '6109211012011', 'ab']) expect(() => areaPrefixCondition('c', bad, 'p')).toThrow();
  });
});
