import { withinAreas } from '../../../../subgraphs/social-security/areas';

describe('social security’s area condition', () => {
  it.each([
    ['no areas: no rows', [], { text: '1 = 0', params: [] }],
    ['a village: equality', ['610921102201'], { text: '(a = ?)', params: ['610921102201'] }],
    ['the county: a range up to the next county', ['610921'], { text: '((a >= ? AND a < ?))', params: ['610921', '610922'] }],
    ['a prefix ending in 9: carried', ['61099'], { text: '((a >= ? AND a < ?))', params: ['61099', '61100'] }],
    ['all nines: open above', ['99'], { text: '(a >= ?)', params: ['99'] }],
    [
      'several: any of them',
      ['610921101', '610921102201'],
      { text: '((a >= ? AND a < ?) OR a = ?)', params: ['610921101', '610921102', '610921102201'] },
    ],
  ])('%s', (_case, areas, expected) => {
    expect(withinAreas('a', areas)).toEqual(expected);
  });

  it('refuses what is not an area prefix, so nothing else reaches the SQL', () => {
    expect(() => withinAreas('a', ["61' OR 1=1"])).toThrow('area prefixes are 2 to 12 digits');
  });
});
