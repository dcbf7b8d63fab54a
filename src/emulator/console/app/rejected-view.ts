import { ApiError, getJson } from './api-client.js';
import type { Rejections } from './console-types.js';
import { el, formatTime, replace, table } from './dom.js';
import { renderJson } from './json-tree.js';
import { pollingView } from './poller.js';
import type { View } from './view.js';

const POLL_INTERVAL_MILLIS = 2_000;

function eventName(eventData: unknown): string {
  if (typeof eventData !== 'object' || eventData === null) return '';
  const name = (eventData as Record<string, unknown>)['eventName'];
  return typeof name === 'string' ? name : '';
}

function counters(stats: Rejections['stats']): HTMLElement {
  const failed = Object.entries(stats.failedEvents).sort((a, b) => b[1] - a[1]);
  const errors = Object.entries(stats.errors).sort((a, b) => b[1] - a[1]);
  const rejected = failed.reduce((sum, [, count]) => sum + count, 0);
  return el(
    'dl',
    { class: 'counters', 'aria-label': 'Ingestion counters' },
    el('dt', {}, 'Accepted events'),
    el('dd', { 'data-counter': 'accepted' }, stats.acceptedEvents),
    el('dt', {}, 'Rejected events'),
    el('dd', { 'data-counter': 'rejected' }, rejected),
    ...failed.flatMap(([code, count]) => [
      el('dt', { class: 'sub' }, code),
      el('dd', { 'data-failed-code': code }, count),
    ]),
    el('dt', {}, 'Throttled requests'),
    el('dd', { 'data-counter': 'throttled' }, stats.throttled),
    ...errors.flatMap(([type, count]) => [
      el('dt', { class: 'sub' }, `Request error ${type}`),
      el('dd', {}, count),
    ]),
  );
}

/** Events the emulator answered in `failed[]` and requests it refused whole, newest first. */
export function createRejectedView(root: HTMLElement): View {
  const status = el('p', { class: 'status', role: 'status' }, 'Loading…');
  const body = el('div');
  replace(
    root,
    el('div', { class: 'view-head' }, el('h2', { id: 'rejected-title' }, 'Rejected')),
    el(
      'p',
      { class: 'hint' },
      'Counters cover every request since the start (or the last stats reset); the lists show the rejections among the requests the emulator still keeps.',
    ),
    status,
    body,
  );

  let drawn = '';
  async function load(): Promise<void> {
    const rejections = await getJson<Rejections>('/console/api/rejected');
    // Redraw only on change, so an opened "Show" stays open between polls.
    const text = JSON.stringify(rejections);
    if (text === drawn) return;
    drawn = text;
    status.textContent = `${rejections.events.length} rejected event(s) and ${rejections.requests.length} refused request(s) among the kept requests.`;
    replace(
      body,
      el('h3', {}, 'Ingestion counters'),
      counters(rejections.stats),
      el('h3', {}, 'Rejected events'),
      table(
        'Rejected events, newest first',
        ['Received', 'Event id', 'Error code', 'Error message', 'Event name', 'Sent eventData'],
        rejections.events.map((entry) => [
          formatTime(entry.receivedAt),
          entry.id,
          el('span', { class: 'error-code' }, entry.errorCode),
          entry.errorMessage,
          eventName(entry.eventData),
          el('details', {}, el('summary', {}, 'Show'), renderJson(entry.eventData).node),
        ]),
        'data rejected-events',
      ),
      el('h3', {}, 'Refused requests'),
      table(
        'Requests refused whole, newest first',
        ['Received', 'Request id', 'Status', 'Error', 'Events in request'],
        rejections.requests.map((entry) => [
          formatTime(entry.receivedAt),
          entry.requestId,
          entry.statusCode,
          el('span', { class: 'error-code' }, entry.errorType),
          entry.eventCount ?? '?',
        ]),
      ),
    );
  }

  return pollingView(POLL_INTERVAL_MILLIS, load, (error) => {
    status.textContent = `Could not load rejections: ${error instanceof ApiError ? `${error.type}: ${error.message}` : String(error)}`;
  });
}
