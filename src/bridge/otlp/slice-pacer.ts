import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Paces work done in slices: `spend(cost)` adds to the slice and, once `budget` is reached, gives the
 * event loop a turn before the next slice. Costs are counted in input size (bytes or characters) rather
 * than time, so the slices are the same on a fast and a slow machine and in tests.
 */
export interface SlicePacer {
  spend(cost: number): Promise<void> | undefined;
}

export function slicePacer(budget: number): SlicePacer {
  let spent = 0;
  return {
    spend(cost) {
      spent += cost;
      if (spent < budget) return undefined;
      spent = 0;
      return nextTurn().then(() => undefined);
    },
  };
}

/**
 * Calls `work` on consecutive slices of at most `size` items, in order, with a turn of the event loop
 * between two slices, so that work over many items does not hold the loop for all of them at once.
 */
export async function forEachSlice<T>(
  items: readonly T[],
  size: number,
  work: (slice: readonly T[]) => void,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await nextTurn();
    work(items.slice(start, start + size));
  }
}
