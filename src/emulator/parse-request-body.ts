import { AUDIT_EVENT_ID_PATTERN, PUT_AUDIT_EVENTS_MAX_EVENTS } from '../limits.js';
import { auditEventRanges } from './audit-event-ranges.js';
import { AwsError } from './aws-error.js';
import type { EventToCheck } from './validate-event.js';

/** The 1-based path the service's messages use; built only when a message needs it. */
function memberPath(index: number): string {
  return `auditEvents.${index + 1}`;
}

/**
 * From this size on V8 allocates an object in its large-object space, on pages of its own (V8's
 * `kMaxRegularHeapObjectSize`, 128 KiB): decoding such a body cost 7 µs per KiB on the benchmark VM
 * against 1.2 below it (bytes).
 */
const V8_LARGE_OBJECT_BYTES = 128 * 1024;

/**
 * The body as JSON.parse would read it, parsed entry by entry where `auditEventRanges` finds its shape;
 * undefined when it does not, or when an entry does not parse (the whole parse then names the error).
 */
function parseEntryByEntry(body: Buffer): { auditEvents: unknown[] } | undefined {
  // A smaller body decodes to a string V8 keeps in its ordinary pages, where the whole parse is cheaper.
  if (body.length < V8_LARGE_OBJECT_BYTES) return undefined;
  const ranges = auditEventRanges(body);
  if (ranges === undefined) return undefined;
  try {
    return {
      auditEvents: ranges.map(([start, end]) => JSON.parse(body.toString('utf8', start, end)) as unknown),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whole-request checks of a PutAuditEvents body, as the service's model validation does them
 * (botocore `cloudtrail-data` 2021-08-11). Unparseable JSON is SerializationException, the name the
 * AWS JSON front door uses for a body it cannot deserialise; shape and constraint violations are
 * ValidationException; two entries with one id are DuplicatedAuditEventId.
 */
export function parseRequestBody(body: Buffer, maxRequestBytes: number): EventToCheck[] {
  if (body.length > maxRequestBytes) {
    throw new AwsError(
      'ValidationException',
      `Request body is ${body.length} bytes, above the limit of ${maxRequestBytes} bytes.`,
    );
  }
  let parsed: unknown = parseEntryByEntry(body);
  if (parsed === undefined) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new AwsError(
        'SerializationException',
        `Request body is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Request body must be a JSON object.');
  }
  const auditEvents = (parsed as Record<string, unknown>)['auditEvents'];
  if (!Array.isArray(auditEvents)) {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'auditEvents' failed to satisfy constraint: Member must not be null",
    );
  }
  if (auditEvents.length < 1 || auditEvents.length > PUT_AUDIT_EVENTS_MAX_EVENTS) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'auditEvents' failed to satisfy constraint: Member must have length between 1 and ${PUT_AUDIT_EVENTS_MAX_EVENTS}, got ${auditEvents.length}`,
    );
  }
  const seen = new Set<string>();
  const events: EventToCheck[] = [];
  for (let index = 0; index < auditEvents.length; index += 1) {
    const entry: unknown = auditEvents[index];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new AwsError('SerializationException', `${memberPath(index)} must be a JSON object.`);
    }
    const { id, eventData, eventDataChecksum } = entry as Record<string, unknown>;
    if (typeof id !== 'string') {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at '${memberPath(index)}.member.id' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (!AUDIT_EVENT_ID_PATTERN.test(id)) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at '${memberPath(index)}.member.id' failed to satisfy constraint: Member must have length between 1 and 128 and satisfy regular expression pattern: ^[-_A-Za-z0-9]+$ (length ${id.length})`,
      );
    }
    if (typeof eventData !== 'string') {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at '${memberPath(index)}.member.eventData' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (
      eventDataChecksum !== undefined &&
      eventDataChecksum !== null &&
      typeof eventDataChecksum !== 'string'
    ) {
      throw new AwsError(
        'SerializationException',
        `${memberPath(index)}.eventDataChecksum must be a string.`,
      );
    }
    if (seen.has(id)) {
      throw new AwsError(
        'DuplicatedAuditEventId',
        `Two or more entries in the request have the same event ID: ${id}`,
      );
    }
    seen.add(id);
    // No `eventDataChecksum` key when there is none: these objects are also what `received()` shows.
    events.push(
      typeof eventDataChecksum === 'string' ? { id, eventData, eventDataChecksum } : { id, eventData },
    );
  }
  return events;
}
