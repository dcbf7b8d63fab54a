import { ApiError, getJson } from './api-client.js';
import type { EmulatorStats, EventTimeline } from './console-types.js';
import { el, replace } from './dom.js';
import { pollingView } from './poller.js';
import { drawTimeline } from './timeline-chart.js';
import type { View } from './view.js';

const POLL_INTERVAL_MILLIS = 5_000;

const RANGES: Array<[string, number]> = [
  ['the last 15 minutes', 15 * 60_000],
  ['the last hour', 60 * 60_000],
  ['the last 6 hours', 6 * 60 * 60_000],
  ['the last 24 hours', 24 * 60 * 60_000],
];

function counterList(stats: EmulatorStats): HTMLElement {
  const rejected = Object.values(stats.failedEvents).reduce((a, b) => a + b, 0);
  const entries: Array<[string, number, string]> = [
    ['Accepted events', stats.acceptedEvents, 'accepted'],
    ['Rejected events', rejected, 'rejected'],
    ...Object.entries(stats.failedEvents).map(([code, count]): [string, number, string] => [
      `  ${code}`,
      count,
      '',
    ]),
    ['Throttled requests', stats.throttled, 'throttled'],
    ['PutAuditEvents requests', stats.putAuditEventsRequests, 'requests'],
  ];
  return el(
    'dl',
    { class: 'counters', 'aria-label': 'Ingestion counters' },
    ...entries.flatMap(([label, value, key]) => [
      el('dt', { class: label.startsWith('  ') ? 'sub' : undefined }, label.trim()),
      el('dd', { 'data-counter': key || undefined }, value),
    ]),
  );
}

/** Events per minute by event name over the chosen range, and the ingestion counters. */
export function createTimelineView(root: HTMLElement): View {
  const rangeSelect = el(
    'select',
    { id: 'timeline-range', name: 'timeline-range' },
    ...RANGES.map(([label, millis], index) => el('option', { value: millis, selected: index === 1 }, label)),
  );
  const status = el('p', { class: 'status', role: 'status' });
  const chartArea = el('div', { class: 'chart-area' });
  const counterArea = el('div');
  replace(
    root,
    el(
      'div',
      { class: 'view-head' },
      el('h2', { id: 'timeline-title' }, 'Timeline'),
      el('div', { class: 'field inline' }, el('label', { for: 'timeline-range' }, 'Range'), rangeSelect),
    ),
    el('h3', {}, 'Events per minute by event name'),
    status,
    chartArea,
    el('h3', {}, 'Ingestion counters'),
    counterArea,
  );

  async function load(): Promise<void> {
    const range = Number(rangeSelect.value);
    const toMillis = Date.now() + 1;
    const [timeline, stats] = await Promise.all([
      getJson<EventTimeline>(`/console/api/timeline?fromMillis=${toMillis - range}&toMillis=${toMillis}`),
      getJson<EmulatorStats>('/_emulator/stats'),
    ]);
    const label = rangeSelect.selectedOptions[0]?.textContent ?? '';
    status.textContent = `${timeline.total} event(s) in ${label}, by eventTime.`;
    replace(chartArea, drawTimeline(timeline, label));
    replace(counterArea, counterList(stats));
  }

  const poller = pollingView(POLL_INTERVAL_MILLIS, load, (error) => {
    status.textContent = `Could not load the timeline: ${error instanceof ApiError ? `${error.type}: ${error.message}` : String(error)}`;
  });
  rangeSelect.addEventListener('change', () => poller.refresh());
  return poller;
}
