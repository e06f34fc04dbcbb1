import { parseTtl } from '../../../scripts/token';

describe('token lifetimes', () => {
  it.each([
    ['3600', 3600],
    ['45s', 45],
    ['30m', 1800],
    ['8h', 28_800],
    ['7d', 604_800],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it.each(['', '8 h', '-1h', '1y', '0', '400d'])('refuses %j', (text) => {
    expect(() => parseTtl(text)).toThrow(/--ttl/);
  });
});
