import { ReplayGuard, SIGNATURE_WINDOW_MS } from '../../../common/governance-context';

describe('the replay guard', () => {
  const start = Date.parse('2026-11-22T08:00:00Z');

  it('accepts a nonce once within the window, and again only once it has been forgotten', () => {
    const guard = new ReplayGuard();
    expect(guard.accept('n1', start)).toBe(true);
    expect(guard.accept('n1', start + 1)).toBe(false);
    expect(guard.accept('n1', start + 2 * SIGNATURE_WINDOW_MS)).toBe(false);
    // A signature this old is refused for its timestamp before the nonce is looked at.
    expect(guard.accept('n1', start + 2 * SIGNATURE_WINDOW_MS + 1)).toBe(true);
  });

  it('remembers only the nonces of the last two windows, however many requests went by', () => {
    const guard = new ReplayGuard();
    const perSecond = 100;
    let accepted = 0;
    for (let second = 0; second < 600; second += 1) {
      for (let i = 0; i < perSecond; i += 1) if (guard.accept(`n-${second}-${i}`, start + second * 1000 + i)) accepted += 1;
    }
    expect(accepted).toBe(600 * perSecond);
    // 60,000 nonces went by; what is kept is the last 60 s of them, give or take a second.
    expect(guard.size).toBeLessThanOrEqual(((2 * SIGNATURE_WINDOW_MS) / 1000 + 1) * perSecond);
    expect(guard.size).toBeGreaterThanOrEqual(((2 * SIGNATURE_WINDOW_MS) / 1000 - 1) * perSecond);
    expect(guard.accept(`n-599-0`, start + 600_000)).toBe(false);
  });
});
