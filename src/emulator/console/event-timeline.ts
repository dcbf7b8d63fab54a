import type { StoredEvent } from '../event-store.js';

/** Width of one timeline bucket: the console charts events per minute. */
export const TIMELINE_BUCKET_MILLIS = 60_000;
/** Widest range one timeline request may span: a day of one-minute buckets (1,440 buckets). */
export const TIMELINE_MAX_RANGE_MILLIS = 24 * 60 * 60_000;
/** Event names charted on their own; the rest are summed as {@link OTHER_EVENTS_SERIES}. */
export const TIMELINE_MAX_SERIES = 8;
export const OTHER_EVENTS_SERIES = '(other)';

/** Events per minute by event name, oldest bucket first. */
export interface EventTimeline {
  bucketMillis: number;
  /** Start of the first bucket (a whole minute), epoch milliseconds. */
  startMillis: number;
  buckets: number;
  /** Busiest event names first; `counts[i]` is the count in bucket i. */
  series: Array<{ eventName: string; counts: number[] }>;
  /** Events in the range. */
  total: number;
}

/**
 * Counts the events whose eventTime falls in [fromMillis, toMillis), per minute and event name.
 * eventTime is when the action happened (CloudTrail Lake's own time column), not when it was ingested.
 */
export function countEventsPerMinute(
  events: readonly StoredEvent[],
  fromMillis: number,
  toMillis: number,
): EventTimeline {
  const startMillis = Math.floor(fromMillis / TIMELINE_BUCKET_MILLIS) * TIMELINE_BUCKET_MILLIS;
  const buckets = Math.max(1, Math.ceil((toMillis - startMillis) / TIMELINE_BUCKET_MILLIS));
  const byName = new Map<string, number[]>();
  let total = 0;
  for (const event of events) {
    const millis = Date.parse(event.eventTime);
    if (!(millis >= fromMillis && millis < toMillis)) continue;
    const value = event.eventData['eventName'];
    const name = typeof value === 'string' ? value : '';
    let counts = byName.get(name);
    if (counts === undefined) {
      counts = new Array<number>(buckets).fill(0);
      byName.set(name, counts);
    }
    counts[Math.floor((millis - startMillis) / TIMELINE_BUCKET_MILLIS)]! += 1;
    total += 1;
  }
  const sum = (counts: number[]): number => counts.reduce((a, b) => a + b, 0);
  const ranked = [...byName.entries()]
    .map(([eventName, counts]) => ({ eventName, counts, sum: sum(counts) }))
    .sort((a, b) => b.sum - a.sum || a.eventName.localeCompare(b.eventName));
  const series = ranked.slice(0, TIMELINE_MAX_SERIES).map(({ eventName, counts }) => ({ eventName, counts }));
  const rest = ranked.slice(TIMELINE_MAX_SERIES);
  if (rest.length > 0) {
    series.push({
      eventName: OTHER_EVENTS_SERIES,
      counts: Array.from({ length: buckets }, (_, i) => rest.reduce((a, entry) => a + entry.counts[i]!, 0)),
    });
  }
  return { bucketMillis: TIMELINE_BUCKET_MILLIS, startMillis, buckets, series, total };
}
