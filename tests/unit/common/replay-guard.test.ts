import { ReplayGuard, SIGNATURE_WINDOW_MS } from '../../../common/governance-context';

describe('the replay guard', () => {
  const start = Date.parse('2026-11-22T08:00:00Z');
  const remember = ReplayGuard.REMEMBER_MS;

  it('remembers nonces for longer than any signature stays acceptable', () => {
    // A timestamp is accepted up to a window either side of the receiver's clock.
    expect(remember).toBeGreaterThanOrEqual(2 * SIGNATURE_WINDOW_MS);
  });

  it('accepts a nonce once, refuses it for at least the remembering time, and forgets it within twice that', () => {
    const guard = new ReplayGuard();
    expect(guard.accept('n1', start)).toBe(true);
    expect(guard.accept('n1', start + 1)).toBe(false);
    expect(guard.accept('n1', start + remember - 1)).toBe(false);
    // Moved to the previous generation, still remembered.
    expect(guard.accept('n1', start + remember)).toBe(false);
    expect(guard.accept('n1', start + 2 * remember - 1)).toBe(false);
    // Dropped with that generation: a signature this old is refused for its timestamp before the nonce is looked at.
    expect(guard.accept('n1', start + 2 * remember)).toBe(true);
  });

  it('a nonce accepted just before a generation turns over is still remembered for the whole remembering time', () => {
    const guard = new ReplayGuard();
    guard.accept('first', start);
    expect(guard.accept('late', start + remember - 1)).toBe(true);
    expect(guard.accept('late', start + remember)).toBe(false);
    expect(guard.accept('late', start + 2 * remember - 2)).toBe(false);
  });

  it('keeps between one and two generations of nonces, however many requests went by', () => {
    const guard = new ReplayGuard();
    const perSecond = 100;
    let accepted = 0;
    for (let second = 0; second < 600; second += 1) {
      for (let i = 0; i < perSecond; i += 1) if (guard.accept(`n-${second}-${i}`, start + second * 1000 + i)) accepted += 1;
      expect(guard.size).toBeLessThanOrEqual((2 * remember * perSecond) / 1000);
    }
    expect(accepted).toBe(600 * perSecond);
    expect(guard.size).toBeGreaterThanOrEqual((remember * perSecond) / 1000);
    expect(guard.accept('n-599-0', start + 600_000)).toBe(false);
    expect(guard.accept(`n-${600 - remember / 1000}-0`, start + 600_000)).toBe(false);
  });

  it('after a quiet spell of two generations remembers nothing from before it', () => {
    const guard = new ReplayGuard();
    guard.accept('old', start);
    guard.accept('new', start + 2 * remember);
    expect(guard.size).toBe(1);
  });
});
