/**
 * The rate the client may send at while the service throttles, found without talking to the other
 * clients of the account: the AWS SDKs' "adaptive" retry mode, a CUBIC curve over requests per second
 * (RFC 9438; botocore `retries/throttling.py` and `retries/adaptive.py`, the JavaScript SDK's
 * `DefaultRateLimiter` in `@smithy/util-retry`).
 *
 * - On a throttle the rate the client was really sending at becomes the curve's plateau (`plateau`),
 *   and the rate drops to `factor` times it.
 * - Then it grows as `scale * (t - k)^3 + plateau`: fast at first, flat near the plateau where the
 *   last throttle happened (so a fleet dwells near the shared quota instead of overshooting it), and
 *   fast again beyond it, to find capacity others have freed. `k` is when the curve meets the plateau.
 * - The rate never exceeds twice the rate measured, so a client with little to send cannot bank a high
 *   rate and later spend it in one burst against the others.
 *
 * Every client cuts in proportion to what it sends and grows on the same clock, so clients sending
 * more lose more on each cut: under one quota they drift towards equal shares (CUBIC's fairness).
 * Pure: time comes in as arguments.
 */

export interface AdaptiveRateOptions {
  /** Ceiling, in requests per second. */
  maxRequestsPerSecond: number;
  /** Floor, in requests per second. */
  minRequestsPerSecond: number;
  /** Multiplier on a throttle, in (0, 1). */
  factor: number;
  /** CUBIC's C: growth of the curve, in requests per second per cubed second. */
  scale: number;
}

export interface AdaptiveRate {
  /** The allowed rate, in requests per second; the ceiling until the first throttle. */
  readonly requestsPerSecond: number;
  /**
   * A response arrived at `nowMillis` for a request that started at `sentAtMillis`. A throttle of a
   * request sent before the last cut says nothing about the cut rate, so it only counts as sent.
   */
  onResponse(response: { throttled: boolean; sentAtMillis: number }, nowMillis: number): void;
}

/** Send rate measured in half-second steps and smoothed, as botocore's `RateClocker` does. */
const METER_STEP_MILLIS = 500;
const METER_SMOOTHING = 0.8;
/** The SDKs never let the rate run further ahead of the measured rate than this. */
const MAX_RATE_OVER_MEASURED = 2;

export function createAdaptiveRate(options: AdaptiveRateOptions): AdaptiveRate {
  const { maxRequestsPerSecond: maxRate, minRequestsPerSecond: minRate, factor, scale } = options;
  let rate = maxRate;
  let throttledYet = false;
  let plateau = maxRate;
  let kSeconds = 0;
  let lastCutMillis = -Infinity;

  let measured = 0;
  let counted = 0;
  let stepIndex: number | undefined;

  /** Counts one response and returns the smoothed rate of responses, 0 until the first step closes. */
  function measure(nowMillis: number): number {
    const index = Math.floor(nowMillis / METER_STEP_MILLIS);
    stepIndex ??= index;
    counted += 1;
    if (index > stepIndex) {
      const current = counted / (((index - stepIndex) * METER_STEP_MILLIS) / 1000);
      measured = METER_SMOOTHING * current + (1 - METER_SMOOTHING) * measured;
      counted = 0;
      stepIndex = index;
    }
    return measured;
  }

  function cubic(nowMillis: number): number {
    const t = (nowMillis - lastCutMillis) / 1000 - kSeconds;
    return scale * t * t * t + plateau;
  }

  function clamp(value: number): number {
    return Math.min(maxRate, Math.max(minRate, value));
  }

  return {
    get requestsPerSecond() {
      return rate;
    },
    onResponse({ throttled, sentAtMillis }, nowMillis) {
      const sending = measure(nowMillis);
      if (throttled && sentAtMillis >= lastCutMillis) {
        // Until a step closes the measured rate is unknown; the allowed rate is then the best guess.
        const wasSending = sending > 0 ? Math.min(sending, rate) : rate;
        plateau = wasSending;
        kSeconds = Math.cbrt((plateau * (1 - factor)) / scale);
        lastCutMillis = nowMillis;
        throttledYet = true;
        rate = clamp(wasSending * factor);
      } else if (throttledYet) {
        const next = cubic(nowMillis);
        rate = clamp(sending > 0 ? Math.min(next, MAX_RATE_OVER_MEASURED * sending) : next);
      }
    },
  };
}
