/**
 * Statistical disclosure control for the aggregates other departments read
 * (docs/access-control.md, "Aggregates"). Pure: every department that publishes
 * a summary computes it per village and hands the villages' figures here.
 *
 * The invariant: every figure published to another department is a sum of
 * village figures that are themselves published. A withheld village figure
 * enters no published figure at all, so no difference of published figures
 * (a parent minus its children, one prefix minus another, one caller's areas
 * against another's) can give it back.
 */

/** A village figure counting fewer records than this (but some) is withheld from other departments. */
export const SMALL_CELL_MINIMUM = 5;

/** Money published to other departments is rounded per village figure to this many yuan. */
export const MONEY_BAND_YUAN = 1000;

/**
 * One village's figures: each dimension lists counts that partition the same
 * records (by status, by category), so the counts of every dimension sum to
 * the same number. `amounts`, when given, has the
 * shape of `counts`: the money of those records.
 */
export interface VillageFigures {
  counts: readonly (readonly number[])[];
  amounts?: readonly (readonly number[])[];
}

/** Sums over the villages, cell by cell; `null` where every village's figure was withheld. */
export interface PublishedFigures {
  counts: (number | null)[][];
  amounts: (number | null)[][];
  /** Village figures left out of the sums (counted once per cell, money and count together). */
  withheld: number;
}

/**
 * Which of one village's cells may be published: a cell with 1 to
 * SMALL_CELL_MINIMUM - 1 records is withheld (primary suppression). Where
 * several dimensions partition the same records, one published whole gives
 * the village's total, so a dimension left with a single withheld cell has
 * the smallest other non-zero cell withheld with it (complementary
 * suppression). A single small cell with no other non-zero cell beside it is
 * the whole total, and small, so every non-zero cell of every dimension is
 * withheld and no dimension gives the total.
 */
export function releasedCells(counts: readonly (readonly number[])[], minimum: number = SMALL_CELL_MINIMUM): boolean[][] {
  return counts.map((dimension) => {
    const released = dimension.map((n) => n === 0 || n >= minimum);
    if (counts.length > 1 && released.filter((r) => !r).length === 1) {
      let partner = -1;
      dimension.forEach((n, i) => {
        if (released[i] && n > 0 && (partner < 0 || n < dimension[partner]!)) partner = i;
      });
      if (partner >= 0) released[partner] = false;
    }
    return released;
  });
}

/**
 * A total as published: the sum of the published cells of one dimension,
 * `null` when every one is withheld. Never a count of its own, which would
 * move with the records of withheld cells.
 */
export function sumPublished(cells: readonly (number | null)[]): number | null {
  const published = cells.filter((cell): cell is number => cell !== null);
  return published.length === 0 ? null : Math.round(published.reduce((sum, cell) => sum + cell, 0) * 100) / 100;
}

/** Rows of a summary query grouped by their village's code (`area`), in order of first appearance. */
export function groupByVillage<R extends { area: string }>(rows: readonly R[]): R[][] {
  const villages = new Map<string, R[]>();
  for (const row of rows) {
    const village = villages.get(row.area);
    if (village) village.push(row);
    else villages.set(row.area, [row]);
  }
  return [...villages.values()];
}

/** Rounds money to the nearest band (halves up), the form another department sees. */
export function roundToBand(amount: number, band: number = MONEY_BAND_YUAN): number {
  return Math.round(amount / band) * band;
}

function roundFen(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/**
 * Adds up the villages' figures. For the owning department's own staff
 * (`exact`) every figure counts, money to the fen. For anyone else only the
 * released cells count, money rounded per village cell to MONEY_BAND_YUAN, so a
 * parent's figure is exactly the sum of its children's published ones.
 */
export function publishFigures(
  shape: readonly number[],
  villages: readonly VillageFigures[],
  exact: boolean,
  minimum: number = SMALL_CELL_MINIMUM,
): PublishedFigures {
  const counts: (number | null)[][] = shape.map((size) => new Array<number | null>(size).fill(null));
  const amounts: (number | null)[][] = shape.map((size) => new Array<number | null>(size).fill(null));
  let withheld = 0;
  for (const village of villages) {
    const released = exact ? village.counts.map((dimension) => dimension.map(() => true)) : releasedCells(village.counts, minimum);
    village.counts.forEach((dimension, d) =>
      dimension.forEach((n, c) => {
        if (!released[d]![c]) {
          withheld += 1;
          return;
        }
        const amount = village.amounts?.[d]?.[c] ?? 0;
        counts[d]![c] = (counts[d]![c] ?? 0) + n;
        amounts[d]![c] = (amounts[d]![c] ?? 0) + (exact ? amount : roundToBand(amount));
      }),
    );
  }
  // No village at all (an area outside the caller's jurisdiction) counts nothing: zero, not withheld.
  if (villages.length === 0) for (const dimension of [...counts, ...amounts]) dimension.fill(0);
  return { counts, amounts: amounts.map((dimension) => dimension.map((a) => (a === null ? null : roundFen(a)))), withheld };
}
