import type { StoredEvent } from './console-types.js';

/** What the events view filters on; empty strings match everything. */
export interface EventFilter {
  eventSource: string;
  eventName: string;
  principal: string;
  sourceIp: string;
  /** A code to look for, or `'*'` for any error, or `'-'` for events without one. */
  errorCode: string;
  /** Only events whose eventTime is at most this many milliseconds old; 0 for all. */
  withinMillis: number;
}

export const EMPTY_FILTER: EventFilter = Object.freeze({
  eventSource: '',
  eventName: '',
  principal: '',
  sourceIp: '',
  errorCode: '',
  withinMillis: 0,
});

function field(event: StoredEvent, ...path: string[]): string {
  let value: unknown = event.eventData;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : JSON.stringify(value);
}

/** Case-insensitive substring match, as a search box is expected to behave. */
function contains(value: string, wanted: string): boolean {
  return wanted === '' || value.toLowerCase().includes(wanted.trim().toLowerCase());
}

/** The event's eventData field the events table shows, by column. */
export const eventFields = {
  eventSource: (event: StoredEvent): string => field(event, 'eventSource'),
  eventName: (event: StoredEvent): string => field(event, 'eventName'),
  principal: (event: StoredEvent): string => field(event, 'userIdentity', 'principalId'),
  sourceIp: (event: StoredEvent): string => field(event, 'sourceIPAddress'),
  errorCode: (event: StoredEvent): string => field(event, 'errorCode'),
};

/** The events that pass `filter`, in the order given; `nowMillis` anchors the time range. */
export function filterEvents(
  events: readonly StoredEvent[],
  filter: EventFilter,
  nowMillis: number,
): StoredEvent[] {
  const since = filter.withinMillis > 0 ? nowMillis - filter.withinMillis : -Infinity;
  return events.filter((event) => {
    if (filter.withinMillis > 0 && !(Date.parse(event.eventTime) >= since)) return false;
    const errorCode = eventFields.errorCode(event);
    if (
      filter.errorCode === '*'
        ? errorCode === ''
        : filter.errorCode === '-'
          ? errorCode !== ''
          : !contains(errorCode, filter.errorCode)
    )
      return false;
    return (
      contains(eventFields.eventSource(event), filter.eventSource) &&
      contains(eventFields.eventName(event), filter.eventName) &&
      contains(eventFields.principal(event), filter.principal) &&
      contains(eventFields.sourceIp(event), filter.sourceIp)
    );
  });
}
