import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { lazyProperty } from '../internal/lazy-property.js';
import { PRIVATE_FILE_MODE, ensurePrivateDir } from './private-files.js';

/** An event as CloudTrail Lake stores it: the customer's eventData plus what CloudTrail adds. */
export interface StoredEvent {
  eventVersion: string;
  eventCategory: 'ActivityAuditLog';
  eventType: 'ActivityLog';
  /** CloudTrail's own id (a UUID), returned as `eventID` in `successful[]`. */
  eventID: string;
  /** eventData.eventTime, copied up as CloudTrail does. */
  eventTime: string;
  awsRegion: string;
  recipientAccountId: string;
  metadata: { ingestionTime: string; channelARN: string };
  eventData: Record<string, unknown>;
}

/**
 * A stored event that keeps its eventData as the JSON text the client sent until something reads it;
 * the first read parses the text and keeps the object. Why: ingestion parses every eventData once to
 * check it, and keeping each parsed object for the life of the store made the garbage collector move
 * them all into the old generation: on the side-by-side benchmark's workload the emulator's process
 * spent 125-134 µs of CPU per event keeping them against 105-107 µs keeping the text (alternating
 * runs). Most stored events are never read again, or read once when a query loads them.
 */
export function storedEventWithText(
  fields: Omit<StoredEvent, 'eventData'>,
  eventDataText: string,
): StoredEvent {
  Object.defineProperty(fields, EVENT_DATA_TEXT, { value: eventDataText });
  return Object.defineProperty(fields, 'eventData', LAZY_EVENT_DATA) as StoredEvent;
}

/** Where the text waits: a symbol key, not enumerable, so copies, equality and JSON see only eventData. */
const EVENT_DATA_TEXT = Symbol('eventDataText');

// The first read (or an assignment) turns the property into plain data, in place, so the event keeps
// its key order.
const LAZY_EVENT_DATA = lazyProperty<{ [EVENT_DATA_TEXT]: string }>(
  'eventData',
  (event) => JSON.parse(event[EVENT_DATA_TEXT]) as unknown,
  true,
);

/**
 * Append-only storage. With a directory, events go to `events.jsonl`, one JSON line each; every
 * append is written and fsynced before it resolves, and appends that arrive while a write is in flight
 * share the next write and fsync (group commit), so lines never interleave.
 */
export interface EventStore {
  /** Resolves once the events are durable (or in memory, without a directory). */
  append(events: readonly StoredEvent[]): Promise<void>;
  /** All stored events, oldest first. The array is live: copy it before keeping it. */
  readonly events: readonly StoredEvent[];
  /** The JSONL file, when there is one. */
  readonly filePath: string | undefined;
  close(): Promise<void>;
}

export const EVENTS_FILE_NAME = 'events.jsonl';

/**
 * Opens the store, reloading `events.jsonl`; a torn last line (a crash mid-write) is cut off. The file is
 * 0600 in a 0700 directory whatever the umask (see private-files.ts).
 */
export async function openEventStore(dataDir: string | undefined): Promise<EventStore> {
  const events: StoredEvent[] = [];
  if (dataDir === undefined) {
    return {
      events,
      filePath: undefined,
      append(batch) {
        events.push(...batch);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
  }
  await ensurePrivateDir(dataDir);
  const filePath = join(dataDir, EVENTS_FILE_NAME);
  let content = '';
  try {
    content = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const lastNewline = content.lastIndexOf('\n');
  if (lastNewline !== content.length - 1) {
    // Only whole lines were acknowledged; the tail was never answered with a 200.
    await truncate(filePath, Buffer.byteLength(content.slice(0, lastNewline + 1), 'utf8')).catch(
      () => undefined,
    );
    content = content.slice(0, lastNewline + 1);
  }
  for (const line of content.split('\n')) {
    if (line !== '') events.push(JSON.parse(line) as StoredEvent);
  }
  const handle: FileHandle = await open(filePath, 'a', PRIVATE_FILE_MODE);
  await handle.chmod(PRIVATE_FILE_MODE);
  let pending: Array<{
    lines: string;
    events: readonly StoredEvent[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  let writing = false;
  let closed = false;

  async function drain(): Promise<void> {
    writing = true;
    while (pending.length > 0) {
      const group = pending;
      pending = [];
      try {
        await handle.write(group.map((entry) => entry.lines).join(''));
        await handle.datasync();
        for (const entry of group) {
          events.push(...entry.events);
          entry.resolve();
        }
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    writing = false;
  }

  return {
    events,
    filePath,
    append(batch) {
      if (closed) return Promise.reject(new Error('event store is closed'));
      if (batch.length === 0) return Promise.resolve();
      const lines = batch.map((event) => `${JSON.stringify(event)}\n`).join('');
      return new Promise<void>((resolve, reject) => {
        pending.push({ lines, events: batch, resolve, reject });
        if (!writing) void drain();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      while (writing || pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
      await handle.close();
    },
  };
}
