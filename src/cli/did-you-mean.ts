import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input` when it is close enough to be a typo: at most two edits (a swap of
 * two letters is two), and at most half of the name's length without leading dashes (so `--x` does not
 * "mean" `--h`). Undefined otherwise.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(input, [...candidates]);
  const edits = distance(input, best);
  const length = input.replace(/^-+/, '').length;
  return edits <= 2 && edits * 2 <= length ? best : undefined;
}

/** ` Did you mean 'x'?` for a close candidate, else an empty string: appended to an error message. */
export function suggestion(input: string, candidates: readonly string[]): string {
  const best = didYouMean(input, candidates);
  return best === undefined ? '' : ` Did you mean '${best}'?`;
}
