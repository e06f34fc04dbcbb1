/**
 * Waits for `work` until `until` (a time, as Date.now()) at most. Resolves
 * true once it settled, either way (its failure is its own to report), or
 * false if the time ran out first; the work is left to finish on its own,
 * and no timer is left running.
 */
export async function settlesBy(work: Promise<unknown>, until: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, until - Date.now()))));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
