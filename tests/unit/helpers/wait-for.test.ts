import { waitFor } from '../../helpers/wait-for';

describe('waiting for a condition in tests', () => {
  it('resolves with the first truthy value, trying again while the condition is unmet or throws', async () => {
    let attempts = 0;
    const value = await waitFor(
      () => {
        attempts += 1;
        if (attempts === 1) throw new Error('not ready');
        return attempts >= 3 ? { attempts } : undefined;
      },
      { what: 'the third attempt', intervalMs: 1 },
    );
    expect(value).toEqual({ attempts: 3 });
  });

  it('fails naming what it waited for, with the last error as the cause', async () => {
    const failure = await waitFor(
      () => {
        throw new Error('refused');
      },
      { what: 'a server that never starts', timeoutMs: 30, intervalMs: 5 },
    ).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).toBe('timed out after 30 ms waiting for a server that never starts');
    expect(failure?.cause).toEqual(new Error('refused'));
  });
});
