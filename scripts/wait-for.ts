/**
 * Waiting for a condition instead of for a fixed time, in tests and in the
 * scripts that start services (the cluster): a fixed sleep is either longer
 * than needed (slow) or, on a busy machine, shorter (flaky). `waitFor` polls
 * until the condition holds and fails, naming what it waited for, once the
 * time is up.
 */
export interface WaitOptions {
  /** What is awaited, for the failure message ("the audit record of pg-audit"). */
  what: string;
  /** How long to keep trying; generous, since it is only reached when the condition never holds. */
  timeoutMs?: number;
  /** Pause between attempts. */
  intervalMs?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves with the first truthy value `condition` returns. A condition that
 * throws counts as not yet met (a server still starting refuses connections);
 * on time-out the last error is the failure's cause.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { what, timeoutMs = 5_000, intervalMs = 10 }: WaitOptions,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, lastError === undefined ? undefined : { cause: lastError });
    }
    await pause(intervalMs);
  }
}
