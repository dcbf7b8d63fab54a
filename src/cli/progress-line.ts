/**
 * The one-line progress display of `send` on a terminal: with a known total, a bar, the share done,
 * the rate and the time left; without one (stdin), the count and the rate. Pure, so it is tested
 * without a terminal; the command redraws it with a carriage return.
 */

/** Cells of the bar. */
const BAR_CELLS = 20;

export interface ProgressState {
  /** Events settled (accepted, rejected, failed, or invalid lines). */
  done: number;
  /** All events of the input, when known (a file is counted before sending). */
  total: number | undefined;
  elapsedMillis: number;
  accepted: number;
  rejected: number;
  failed: number;
}

/** Seconds as `42s`, `3m07s` or `1h02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatProgress(state: ProgressState): string {
  const seconds = state.elapsedMillis / 1000;
  const rate = seconds > 0 ? state.done / seconds : 0;
  const outcome = `${state.accepted} accepted, ${state.rejected} rejected, ${state.failed} failed`;
  const rateText = `${rate.toFixed(rate < 10 ? 1 : 0)} events/s`;
  if (state.total === undefined || state.total === 0) {
    return `${state.done} events  ${rateText}  (${outcome})`;
  }
  const share = Math.min(1, state.done / state.total);
  const filled = Math.round(share * BAR_CELLS);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_CELLS - filled)}]`;
  const eta = rate > 0 ? formatDuration((state.total - state.done) / rate) : '?';
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `${bar} ${percent} ${state.done}/${state.total}  ${rateText}  ETA ${eta}  (${outcome})`;
}
