import type { View } from './view.js';

/**
 * A view that reloads itself every `intervalMillis` while shown. `load` draws the view; its failure is
 * drawn by `onError` and the next round tries again.
 */
export function pollingView(
  intervalMillis: number,
  load: () => Promise<void>,
  onError: (error: unknown) => void,
): View & { refresh(): void } {
  let timer: number | undefined;
  // Bumped on every show and hide, so an answer that arrives after a tab switch starts no second loop.
  let generation = 0;

  async function round(own: number): Promise<void> {
    try {
      await load();
    } catch (error) {
      onError(error);
    }
    if (own === generation) timer = window.setTimeout(() => void round(own), intervalMillis);
  }

  return {
    show() {
      generation += 1;
      void round(generation);
    },
    hide() {
      generation += 1;
      window.clearTimeout(timer);
    },
    refresh() {
      const own = ++generation;
      window.clearTimeout(timer);
      void round(own);
    },
  };
}
