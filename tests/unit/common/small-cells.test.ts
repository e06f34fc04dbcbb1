import { publishFigures, releasedCells, roundToBand, sumPublished } from '../../../common/small-cells';

describe('releasedCells: one village’s figures another department may see', () => {
  it.each([
    ['every cell large or empty', [[12, 0, 7], [19]], [[true, true, true], [true]]],
    ['two small cells: withheld, nothing more', [[12, 2, 3], [17]], [[true, false, false], [true]]],
    ['one small cell: the smallest other non-zero cell withheld with it', [[12, 2, 7, 0], [21]], [[true, false, false, true], [true]]],
    ['a small total: every non-zero cell withheld', [[3, 0], [1, 2], [3]], [[false, true], [false, false], [false]]],
    ['one small cell in each of two dimensions', [[9, 1], [5, 5], [10]], [[false, false], [true, true], [true]]],
    ['one dimension alone: a small cell withheld by itself, as nothing gives the total', [[12, 2, 7]], [[true, false, true]]],
  ])('%s', (_name, counts, released) => {
    expect(releasedCells(counts)).toEqual(released);
  });

  it('never leaves a dimension with exactly one withheld cell while the total can be known', () => {
    // Every village of up to 12 records split over 3 cells of one dimension, beside its total.
    for (let a = 0; a <= 12; a += 1)
      for (let b = 0; a + b <= 12; b += 1)
        for (let c = 0; a + b + c <= 12; c += 1) {
          const [dimension, [total]] = releasedCells([[a, b, c], [a + b + c]]);
          const withheld = dimension!.filter((r) => !r).length;
          if (withheld === 1) expect(total).toBe(false);
        }
  });
});

describe('publishFigures', () => {
  const villages = [
    { counts: [[12, 2], [14]], amounts: [[6_420.5, 1_520], [7_940.5]] },
    { counts: [[6, 0], [6]], amounts: [[3_100, 0], [3_100]] },
  ];

  it('gives the owning department every figure exactly', () => {
    expect(publishFigures([2, 1], villages, true)).toEqual({
      counts: [[18, 2], [20]],
      amounts: [[9_520.5, 1_520], [11_040.5]],
      withheld: 0,
    });
  });

  it('gives others the sum of the villages’ published figures, money rounded per village, and null where every village withheld it', () => {
    expect(publishFigures([2, 1], villages, false)).toEqual({
      counts: [[6, 0], [20]],
      amounts: [[3_000, 0], [11_000]],
      withheld: 2,
    });
  });

  it('answers zero, not withheld, where no village is counted', () => {
    expect(publishFigures([2, 1], [], false)).toEqual({ counts: [[0, 0], [0]], amounts: [[0, 0], [0]], withheld: 0 });
  });

  it('totals the published cells of one dimension, null when none is published', () => {
    expect([sumPublished([6, null, 0]), sumPublished([null, null]), sumPublished([0.1, 0.2])]).toEqual([6, null, 0.3]);
  });

  it.each([
    [499.99, 0],
    [500, 1_000],
    [7_940.5, 8_000],
  ])('rounds %p yuan to %p', (amount, rounded) => {
    expect(roundToBand(amount)).toBe(rounded);
  });
});
