import { ApiError, getJson } from './api-client.js';
import type { EventsPage, StoredEvent } from './console-types.js';
import { el, formatTime, replace } from './dom.js';
import { showEventDetail } from './event-detail.js';
import { EMPTY_FILTER, eventFields, filterEvents, type EventFilter } from './filter-events.js';
import { pollingView } from './poller.js';
import type { View } from './view.js';

/** How often the list asks for new events, in milliseconds. */
const POLL_INTERVAL_MILLIS = 1_500;
/** Events kept in the page; older ones fall off (the emulator still has them: query for those). */
const MAX_KEPT_EVENTS = 5_000;
/** Rows drawn at once; filter to see others. */
const MAX_SHOWN_ROWS = 300;

const TIME_RANGES: Array<[string, number]> = [
  ['All time', 0],
  ['Last 15 minutes', 15 * 60_000],
  ['Last hour', 60 * 60_000],
  ['Last 24 hours', 24 * 60 * 60_000],
  ['Last 7 days', 7 * 24 * 60 * 60_000],
];

function textInput(id: string, label: string, placeholder: string): [HTMLElement, HTMLInputElement] {
  const input = el('input', { id, name: id, type: 'search', placeholder, autocomplete: 'off' });
  return [el('div', { class: 'field' }, el('label', { for: id }, label), input), input];
}

/** The live list of stored events, newest first, with filters and a detail view. */
export function createEventsView(root: HTMLElement): View {
  const events: StoredEvent[] = [];
  let cursor = 0;
  let total = 0;
  let paused = false;

  const [sourceField, sourceInput] = textInput('filter-source', 'Event source', 'e.g. billing.acme.example');
  const [nameField, nameInput] = textInput('filter-name', 'Event name', 'e.g. Login');
  const [principalField, principalInput] = textInput('filter-principal', 'Principal', 'principalId');
  const [ipField, ipInput] = textInput('filter-ip', 'Source IP', 'e.g. 192.0.2.1');
  const [errorField, errorInput] = textInput('filter-error', 'Error code', '* any error, - none');
  const rangeSelect = el(
    'select',
    { id: 'filter-range', name: 'filter-range' },
    ...TIME_RANGES.map(([label, millis]) => el('option', { value: millis }, label)),
  );
  const pauseButton = el('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause');
  const status = el('p', { class: 'status', role: 'status' }, 'Loading events…');
  const listArea = el('div', { class: 'events-list' });

  const form = el(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter events' },
    sourceField,
    nameField,
    principalField,
    ipField,
    errorField,
    el('div', { class: 'field' }, el('label', { for: 'filter-range' }, 'Time range'), rangeSelect),
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('input', () => render());
  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.setAttribute('aria-pressed', String(paused));
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    render();
  });

  replace(
    root,
    el('div', { class: 'view-head' }, el('h2', { id: 'events-title' }, 'Events'), pauseButton),
    form,
    status,
    listArea,
  );

  function currentFilter(): EventFilter {
    return {
      ...EMPTY_FILTER,
      eventSource: sourceInput.value,
      eventName: nameInput.value,
      principal: principalInput.value,
      sourceIp: ipInput.value,
      errorCode: errorInput.value.trim(),
      withinMillis: Number(rangeSelect.value),
    };
  }

  function row(event: StoredEvent): HTMLTableRowElement {
    const open = el('button', { type: 'button', class: 'link' }, formatTime(event.eventTime));
    open.addEventListener('click', () => showEventDetail(event));
    const errorCode = eventFields.errorCode(event);
    const tr = el(
      'tr',
      { 'data-event-id': event.eventID },
      el('td', {}, open),
      el('td', {}, eventFields.eventSource(event)),
      el('td', { class: 'event-name' }, eventFields.eventName(event)),
      el('td', {}, eventFields.principal(event)),
      el('td', { class: 'nowrap' }, eventFields.sourceIp(event)),
      el('td', { class: errorCode === '' ? '' : 'error-code' }, errorCode),
    );
    tr.addEventListener('click', (click) => {
      if (click.target !== open) showEventDetail(event);
    });
    return tr;
  }

  function render(): void {
    const matching = filterEvents(events, currentFilter(), Date.now()).reverse();
    const shown = matching.slice(0, MAX_SHOWN_ROWS);
    status.textContent =
      `${total} event${total === 1 ? '' : 's'} stored; ${matching.length} match` +
      (matching.length > shown.length ? `, newest ${shown.length} shown` : '') +
      (paused ? '. Paused.' : '. Updating live.');
    const headers = ['Event time', 'Event source', 'Event name', 'Principal', 'Source IP', 'Error code'];
    replace(
      listArea,
      el(
        'div',
        { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Stored events, newest first' },
        el(
          'table',
          { class: 'data events' },
          el('caption', { class: 'visually-hidden' }, 'Stored events, newest first'),
          el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, header)))),
          el('tbody', {}, ...shown.map(row)),
        ),
      ),
    );
  }

  async function load(): Promise<void> {
    const page = await getJson<EventsPage>(`/console/api/events?after=${cursor}`);
    // A smaller store, or a gap after the cursor, means the page's copy is stale: start it again.
    if (page.total < cursor || page.from > cursor) events.length = 0;
    events.push(...page.events);
    if (events.length > MAX_KEPT_EVENTS) events.splice(0, events.length - MAX_KEPT_EVENTS);
    const changed = page.total !== total || page.events.length > 0;
    cursor = page.total;
    total = page.total;
    if (changed && !paused) render();
  }

  const poller = pollingView(POLL_INTERVAL_MILLIS, load, (error) => {
    status.textContent = `Could not load events: ${error instanceof ApiError ? `${error.type}: ${error.message}` : String(error)}`;
  });
  return {
    show() {
      render();
      poller.show();
    },
    hide: () => poller.hide(),
  };
}
