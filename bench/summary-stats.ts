/** Small statistics and formatting helpers shared by the benchmark reports. */

/** Median and spread ((max - min) / median) of repeated measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median; 0 for a single run. */
  spread: number;
  runs: number;
}

/** Spread above which a figure is flagged as noisy. */
export const NOISY_SPREAD = 0.2;

export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, spread: 0, runs: 0 };
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  return { median, min, max, spread: median === 0 ? 0 : (max - min) / median, runs: n };
}

/** A number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median ±spread%" with a noisy flag when the spread is above NOISY_SPREAD. */
export function fmtSpread(s: Spread, digits = 0): string {
  if (s.runs <= 1) return fmt(s.median, digits);
  const flag = s.spread > NOISY_SPREAD ? ' **noisy**' : '';
  return `${fmt(s.median, digits)} ±${fmt((s.spread * 100) / 2, 0)}%${flag}`;
}

export function mib(bytes: number): number {
  return bytes / 1_048_576;
}

export function passFail(pass: boolean | undefined): string {
  if (pass === undefined) return 'n/a';
  return pass ? 'PASS' : '**FAIL**';
}

/** Least squares fit of y = a + b x: the fixed cost per record and the cost per byte. */
export function linearFit(points: ReadonlyArray<readonly [number, number]>): { a: number; b: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const b = sxx === 0 ? 0 : sxy / sxx;
  return { a: my - b * mx, b };
}
