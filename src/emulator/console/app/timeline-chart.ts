import type { EventTimeline } from './console-types.js';
import { el, formatTime, svg } from './dom.js';

/** Series colours are the CSS variables `--s0` ... `--s8`, so light and dark mode each pick readable ones. */
export const SERIES_COLOURS = 9;

/** Points the element's `--series` at the series' colour (through the CSSOM, which the CSP allows). */
function colour<T extends HTMLElement | SVGElement>(element: T, index: number): T {
  element.style.setProperty('--series', `var(--s${index % SERIES_COLOURS})`);
  return element;
}

const WIDTH = 960;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 44 };

/**
 * A stacked bar chart of events per minute by event name, drawn as plain SVG, with a legend. Each bar
 * has a `<title>` (its minute and counts) for pointer users; the figure's label sums it up for screen
 * readers.
 */
export function drawTimeline(timeline: EventTimeline, rangeLabel: string): HTMLElement {
  const totals = Array.from({ length: timeline.buckets }, (_, i) =>
    timeline.series.reduce((sum, series) => sum + (series.counts[i] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const barWidth = plotWidth / timeline.buckets;
  const y = (value: number): number => MARGIN.top + plotHeight - (value / max) * plotHeight;

  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'timeline-chart',
    role: 'img',
    'aria-label': `${timeline.total} events over ${rangeLabel}, at most ${Math.max(...totals)} in one minute`,
  });
  for (const tick of [0, Math.round(max / 2), max]) {
    chart.append(
      svg('line', { class: 'grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick) }),
      svg('text', { class: 'axis', x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, tick),
    );
  }
  for (let bucket = 0; bucket < timeline.buckets; bucket++) {
    if (totals[bucket] === 0) continue;
    const minute = formatTime(timeline.startMillis + bucket * timeline.bucketMillis);
    const group = svg(
      'g',
      { class: 'bar' },
      svg(
        'title',
        {},
        `${minute}: ${timeline.series
          .filter((series) => (series.counts[bucket] ?? 0) > 0)
          .map((series) => `${series.eventName || '(none)'} ${series.counts[bucket]}`)
          .join(', ')}`,
      ),
    );
    let stacked = 0;
    timeline.series.forEach((series, index) => {
      const count = series.counts[bucket] ?? 0;
      if (count === 0) return;
      group.append(
        colour(
          svg('rect', {
            class: 'series',
            x: MARGIN.left + bucket * barWidth + barWidth * 0.1,
            width: Math.max(1, barWidth * 0.8),
            y: y(stacked + count),
            height: y(stacked) - y(stacked + count),
          }),
          index,
        ),
      );
      stacked += count;
    });
    chart.append(group);
  }
  const labelEvery = Math.max(1, Math.ceil(timeline.buckets / 6));
  for (let bucket = 0; bucket < timeline.buckets; bucket += labelEvery) {
    chart.append(
      svg(
        'text',
        { class: 'axis', x: MARGIN.left + bucket * barWidth, y: HEIGHT - 8 },
        formatTime(timeline.startMillis + bucket * timeline.bucketMillis).slice(11, 16),
      ),
    );
  }
  const legend = el(
    'ul',
    { class: 'legend', 'aria-label': 'Event names' },
    ...timeline.series.map((series, index) =>
      el(
        'li',
        {},
        colour(el('span', { class: 'swatch series', 'aria-hidden': 'true' }), index),
        `${series.eventName || '(none)'} (${series.counts.reduce((a, b) => a + b, 0)})`,
      ),
    ),
  );
  return el('figure', { class: 'timeline' }, chart, legend);
}
