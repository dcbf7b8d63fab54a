import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isValidEventId } from '../mapping/event-id.js';

/**
 * The input of `send` and `validate`: JSON lines, each one event. A line is either the eventData object
 * itself, or an object with an `eventData` member (an object, or the JSON string PutAuditEvents carries)
 * and an optional `id`: the shape of a PutAuditEvents entry and of a dead-letter line, so rejected events
 * can be fixed and sent again under their original id (and, for a dead letter, to the channel it names).
 */
export type EventLine =
  | {
      line: number;
      /** The id the line gives, when valid. */
      id: string | undefined;
      eventData: unknown;
      /** The line itself, to derive an id from when it gives none. */
      text: string;
      /** The channel a dead letter names (where the event was sent), when the line has one. */
      channelArn?: string | undefined;
      error?: undefined;
    }
  | { line: number; id?: undefined; eventData?: undefined; text?: undefined; error: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one non-blank line. */
export function parseEventLine(text: string, line: number): EventLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, error: `not valid JSON: ${(error as Error).message}` };
  }
  if (!isObject(value)) return { line, error: 'expected a JSON object' };
  if (!('eventData' in value)) return { line, id: undefined, eventData: value, text };
  const channel = value['channelArn'];
  const channelArn = typeof channel === 'string' && channel !== '' ? channel : undefined;
  const given = value['id'];
  const id = isValidEventId(given) ? given : undefined;
  let eventData = value['eventData'];
  if (eventData === null) {
    // A dead letter of a record whose mapping itself failed: there is no eventData to fix or resend.
    return { line, error: 'eventData is null (the mapping failed), nothing to send' };
  }
  if (typeof eventData === 'string') {
    try {
      eventData = JSON.parse(eventData);
    } catch (error) {
      return { line, error: `eventData is a string but not valid JSON: ${(error as Error).message}` };
    }
  }
  return { line, id, eventData, text, channelArn };
}

/** Reads `path` line by line and counts its non-blank lines: the total a progress bar needs. */
export async function countEventLines(path: string): Promise<number> {
  let count = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of lines) if (text.trim() !== '') count += 1;
  return count;
}

/** Reads `path` (or `stdin` for `-`) line by line, skipping blank lines; line numbers start at 1. */
export async function* readEventLines(path: string, stdin: NodeJS.ReadableStream): AsyncGenerator<EventLine> {
  const input = path === '-' ? stdin : createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number += 1;
    if (text.trim() === '') continue;
    yield parseEventLine(text, number);
  }
}
