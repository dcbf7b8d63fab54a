/**
 * The shapes the console reads from the emulator's JSON, taken from the server's own declarations
 * (type-only imports: nothing of the server ends up in the browser bundle).
 */
export type { StoredEvent } from '../../event-store.js';
export type { EmulatorStats } from '../../emulator-stats.js';
export type { EventTimeline } from '../event-timeline.js';
import type { EmulatorStats } from '../../emulator-stats.js';
import type { StoredEvent } from '../../event-store.js';
import type { RejectedEvent, RejectedRequest } from '../rejected-events.js';

/** `GET /console/api/events`. */
export interface EventsPage {
  total: number;
  from: number;
  events: StoredEvent[];
}

/** `GET /console/api/rejected`. */
export interface Rejections {
  events: RejectedEvent[];
  requests: RejectedRequest[];
  stats: EmulatorStats;
}
