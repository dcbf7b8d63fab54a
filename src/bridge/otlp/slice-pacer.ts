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
