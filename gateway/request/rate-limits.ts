/**
 * How much one caller and one client address may ask of the gateway: a
 * token bucket per key (a steady rate with a burst of twice that) and, per
 * caller, a bound on requests in flight. Checked at the door before the body
 * is read, so a flood costs the gateway a map lookup per request, not a body
 * in memory or a policy decision.
 */
import { RateLimitedError } from '../../common/errors';

/** Requests per second a key may make; 0 turns the limit off. */
export interface RateLimitSettings {
  perCaller: number;
  perAddress: number;
  /** Requests one caller may have in flight at once; 0 turns the limit off. */
  callerConcurrency: number;
  /**
   * The estimated cost one caller's operations in flight may add up to (0:
   * no limit). One operation alone is always let through (its own budget
   * bounds it); a second waits until the sum allows it.
   */
  callerCostInFlight: number;
}

/** Keys remembered at most; the least recently seen is forgotten first (it starts again with a full bucket). */
const MAX_KEYS = 100_000;
/** A burst of this many seconds' worth of requests is let through at once. */
const BURST_SECONDS = 2;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per key: `rate` a second, up to `rate × BURST_SECONDS` at once. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;

  constructor(private readonly rate: number) {
    this.capacity = rate * BURST_SECONDS;
  }

  /** Takes one token at `now` (ms, monotonic): 0 when there was one, else the seconds until there will be. */
  take(key: string, now: number): number {
    let bucket = this.buckets.get(key);
    if (bucket) {
      // Re-inserted, so the map's order is least recently seen first.
      this.buckets.delete(key);
      // Never negative: a clock that steps back must not take tokens away.
      bucket.tokens = Math.min(this.capacity, bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * this.rate);
      bucket.updatedAt = now;
    } else {
      bucket = { tokens: this.capacity, updatedAt: now };
      if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.rate;
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** The door's limits: an address is checked before its token is read, a caller once it is known. */
export class RateLimits {
  private readonly callers: TokenBuckets | undefined;
  private readonly addresses: TokenBuckets | undefined;
  private readonly inFlight = new Map<string, number>();
  private readonly costInFlight = new Map<string, number>();

  constructor(private readonly settings: RateLimitSettings) {
    this.callers = settings.perCaller > 0 ? new TokenBuckets(settings.perCaller) : undefined;
    this.addresses = settings.perAddress > 0 ? new TokenBuckets(settings.perAddress) : undefined;
  }

  /** Throws RateLimitedError when the address has used up its rate. */
  admitAddress(address: string, now = performance.now()): void {
    const wait = this.addresses?.take(address, now) ?? 0;
    if (wait > 0) throw new RateLimitedError('address', wait);
  }

  /**
   * Throws RateLimitedError when the caller has used up its rate or has as
   * many requests in flight as it may; otherwise counts one more in flight,
   * which release() gives back.
   */
  admitCaller(caller: string, now = performance.now()): void {
    const wait = this.callers?.take(caller, now) ?? 0;
    if (wait > 0) throw new RateLimitedError('caller', wait);
    const { callerConcurrency } = this.settings;
    if (callerConcurrency === 0) return;
    const running = this.inFlight.get(caller) ?? 0;
    // A second is as good a guess as any: one of the caller's own requests must finish first.
    if (running >= callerConcurrency) throw new RateLimitedError('caller', 1);
    this.inFlight.set(caller, running + 1);
  }

  /**
   * Throws RateLimitedError when the caller's operations in flight already
   * add up to its cost allowance, with this one; otherwise counts `cost` in,
   * which releaseCost() gives back.
   */
  admitCost(caller: string, cost: number): void {
    const { callerCostInFlight } = this.settings;
    if (callerCostInFlight === 0 || cost === 0) return;
    const running = this.costInFlight.get(caller) ?? 0;
    if (running > 0 && running + cost > callerCostInFlight) throw new RateLimitedError('caller', 1);
    this.costInFlight.set(caller, running + cost);
  }

  releaseCost(caller: string, cost: number): void {
    const running = (this.costInFlight.get(caller) ?? cost) - cost;
    if (running > 0) this.costInFlight.set(caller, running);
    else this.costInFlight.delete(caller);
  }

  /** A request admitted by admitCaller has finished. */
  release(caller: string): void {
    if (this.settings.callerConcurrency === 0) return;
    const running = (this.inFlight.get(caller) ?? 1) - 1;
    if (running > 0) this.inFlight.set(caller, running);
    else this.inFlight.delete(caller);
  }

  /** Requests in flight, over all callers (for tests and stats). */
  get running(): number {
    let total = 0;
    for (const count of this.inFlight.values()) total += count;
    return total;
  }
}
