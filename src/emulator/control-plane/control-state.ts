import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openEventStore, type EventStore, type StoredEvent } from '../event-store.js';
import { writePrivateFile } from '../private-files.js';

/** CloudTrail's `EventDataStoreStatus` values the emulator uses (no transitional STARTING/STOPPING states). */
export type EventDataStoreStatus = 'ENABLED' | 'STOPPED_INGESTION' | 'PENDING_DELETION';
export type QueryStatus = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

export interface Tag {
  Key: string;
  Value?: string;
}

export interface EventDataStoreRecord {
  id: string;
  arn: string;
  name: string;
  status: EventDataStoreStatus;
  retentionPeriod: number;
  terminationProtectionEnabled: boolean;
  multiRegionEnabled: boolean;
  organizationEnabled: boolean;
  billingMode: string;
  advancedEventSelectors: unknown[];
  tags: Tag[];
  createdMillis: number;
  updatedMillis: number;
  /** Directory of its `events.jsonl`, relative to dataDir ('' for the first store: the original file). */
  eventsDir: string;
}

export interface ChannelRecord {
  arn: string;
  id: string;
  name: string;
  source: string;
  destinations: Array<{ Type: string; Location: string }>;
  tags: Tag[];
  latestIngestionSuccessMillis?: number;
  latestIngestionSuccessEventID?: string;
  latestIngestionAttemptMillis?: number;
  latestIngestionAttemptEventID?: string;
  latestIngestionErrorCode?: string;
}

export interface QueryRecord {
  id: string;
  sql: string;
  alias?: string;
  status: QueryStatus;
  /** ARNs of the event data stores the statement names (ListQueries filters on them). */
  storeArns: string[];
  createdMillis: number;
  endedMillis?: number;
  errorMessage?: string;
  columns?: string[];
  rows?: Array<Array<string | null>>;
  eventsScanned: number;
  bytesScanned: number;
}

/** Everything the control plane knows besides events; one JSON file in dataDir. */
export interface ControlSnapshot {
  eventDataStores: EventDataStoreRecord[];
  channels: ChannelRecord[];
  /** Resource policies (JSON text) by resource ARN. */
  resourcePolicies: Record<string, string>;
  queries: QueryRecord[];
}

export const CONTROL_FILE_NAME = 'control-plane.json';

/**
 * The control plane's records and each event data store's events, kept in memory and, with a dataDir,
 * written to `control-plane.json` (0600, replaced atomically) after every change, so a restart serves
 * the same stores, channels, policies and finished queries.
 */
export interface ControlState extends ControlSnapshot {
  storeEvents(id: string): EventStore;
  openStoreEvents(record: EventDataStoreRecord): Promise<void>;
  save(): Promise<void>;
  close(): Promise<void>;
}

export async function loadControlState(dataDir: string | undefined): Promise<ControlState> {
  let snapshot: ControlSnapshot = { eventDataStores: [], channels: [], resourcePolicies: {}, queries: [] };
  if (dataDir !== undefined) {
    try {
      snapshot = JSON.parse(await readFile(join(dataDir, CONTROL_FILE_NAME), 'utf8')) as ControlSnapshot;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const eventStores = new Map<string, EventStore>();
  let saving: Promise<void> = Promise.resolve();
  const state: ControlState = {
    ...snapshot,
    storeEvents(id) {
      const store = eventStores.get(id);
      if (store === undefined) throw new Error(`event data store ${id} has no open event file`);
      return store;
    },
    async openStoreEvents(record) {
      if (eventStores.has(record.id)) return;
      eventStores.set(
        record.id,
        await openEventStore(dataDir === undefined ? undefined : join(dataDir, record.eventsDir)),
      );
    },
    save() {
      if (dataDir === undefined) return Promise.resolve();
      const text = `${JSON.stringify({
        eventDataStores: state.eventDataStores,
        channels: state.channels,
        resourcePolicies: state.resourcePolicies,
        queries: state.queries,
      } satisfies ControlSnapshot)}\n`;
      // Writes are chained so an older snapshot never lands after a newer one.
      saving = saving.then(() => writePrivateFile(join(dataDir, CONTROL_FILE_NAME), text));
      return saving;
    },
    async close() {
      await saving.catch(() => undefined);
      for (const store of eventStores.values()) await store.close();
    },
  };
  for (const record of state.eventDataStores) await state.openStoreEvents(record);
  return state;
}

/** Events of several stores, oldest store first; an event delivered to two stores appears once. */
export function eventsOfStores(state: ControlState, ids: readonly string[]): StoredEvent[] {
  if (ids.length === 1) return [...state.storeEvents(ids[0]!).events];
  const seen = new Set<string>();
  const events: StoredEvent[] = [];
  for (const id of ids)
    for (const event of state.storeEvents(id).events)
      if (!seen.has(event.eventID)) {
        seen.add(event.eventID);
        events.push(event);
      }
  return events;
}
