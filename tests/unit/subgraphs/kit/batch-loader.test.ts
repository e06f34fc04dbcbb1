import { createGroupedLoader, createKeyedLoader, loadOrNull, NotFoundError } from '../../../../subgraphs/kit/batch-loader';

describe('per-request batch loaders', () => {
  it('sends every key requested in one tick as one batch and returns rows in key order', async () => {
    const loadCalls: string[][] = [];
    const rows = [
      { id: 'b', v: 2 },
      { id: 'a', v: 1 },
    ];
    const loader = createKeyedLoader(
      'Thing',
      async (keys) => {
        loadCalls.push([...keys]);
        return rows.filter((row) => keys.includes(row.id));
      },
      (row) => row.id,
    );
    const [a, b] = await Promise.all([loader.load('a'), loader.load('b'), loader.load('a')]);
    expect(loadCalls).toEqual([['a', 'b']]);
    expect([a, b]).toEqual([
      { id: 'a', v: 1 },
      { id: 'b', v: 2 },
    ]);
  });

  it('fails only the missing key, with NotFoundError, and loadOrNull turns that into null', async () => {
    const loader = createKeyedLoader(
      'Thing',
      async () => [{ id: 'a' }],
      (row) => row.id,
    );
    const [found, missing] = await Promise.allSettled([loader.load('a'), loader.load('zz')]);
    expect(found).toEqual({ status: 'fulfilled', value: { id: 'a' } });
    expect(missing).toEqual({ status: 'rejected', reason: expect.any(NotFoundError) });
    expect(await loadOrNull(loader, 'zz')).toBeNull();
  });

  it('lets other failures through loadOrNull', async () => {
    const loader = createKeyedLoader(
      'Thing',
      async () => {
        throw new Error('database is down');
      },
      (row: { id: string }) => row.id,
    );
    await expect(loadOrNull(loader, 'a')).rejects.toThrow('database is down');
  });

  it('groups one-to-many rows by key in one batch, with an empty list for keys without rows', async () => {
    const loadCalls: string[][] = [];
    const loader = createGroupedLoader(
      async (keys) => {
        loadCalls.push([...keys]);
        return [
          { owner: 'x', n: 1 },
          { owner: 'z', n: 2 },
          { owner: 'x', n: 3 },
        ];
      },
      (row) => row.owner,
    );
    const results = await Promise.all(['x', 'y', 'z'].map((key) => loader.load(key)));
    expect(loadCalls).toEqual([['x', 'y', 'z']]);
    expect(results).toEqual([
      [
        { owner: 'x', n: 1 },
        { owner: 'x', n: 3 },
      ],
      [],
      [{ owner: 'z', n: 2 }],
    ]);
  });
});

describe('batch size', () => {
  it('splits a very large request into batches of at most MAX_BATCH_SIZE keys', async () => {
    const { MAX_BATCH_SIZE } = await import('../../../../subgraphs/kit/batch-loader');
    const sizes: number[] = [];
    const loader = createGroupedLoader(
      async (keys) => {
        sizes.push(keys.length);
        return [];
      },
      (row: { k: string }) => row.k,
    );
    await Promise.all(Array.from({ length: 2500 }, (_, i) => loader.load(`k${i}`)));
    expect(sizes).toEqual([MAX_BATCH_SIZE, MAX_BATCH_SIZE, 2500 - 2 * MAX_BATCH_SIZE]);
  });
});
