/**
 * The one place a record's fate at entry is decided: is it an audit record (the user's `filter`, or
 * "has an `audit.*` attribute"), under which event id does it travel and, with a `channelArn` function,
 * to which channel. Called once per record where it enters; the decision is carried in the entry, never
 * recomputed or written back into the record.
 */
import { MappingError, type RoutingError } from '../errors.js';
import { hasAuditAttribute } from '../mapping/audit-attributes.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import { decideEventId } from '../mapping/event-id.js';
import { decideDestination, type ChannelArnFunction } from './channel-destination.js';
import type { PipelineEntry } from './pipeline-entry.js';

/** Where a record goes: skipped (not audit), an entry to send, or rejected because `filter` threw. */
export type EntryDecision =
  | { readonly kind: 'skip' }
  | { readonly kind: 'entry'; readonly entry: PipelineEntry }
  | {
      readonly kind: 'rejected';
      readonly entry: PipelineEntry;
      readonly error: MappingError | RoutingError;
    };

/** A `filter` option: true keeps the record. */
export type AuditFilter = (record: AuditLogRecord) => unknown;

/**
 * Decides one record. Never throws: a throwing `filter` (or a record whose attributes cannot be read)
 * rejects the record with a MappingError, and a `route` that throws or returns no channel ARN rejects
 * it with a RoutingError, as failing closed: an audit record is never skipped or misrouted silently.
 */
export function decideEntry(
  record: AuditLogRecord,
  filter: AuditFilter | undefined,
  newId: () => string,
  route?: ChannelArnFunction,
): EntryDecision {
  let keep: boolean;
  try {
    keep = Boolean(filter === undefined ? hasAuditAttribute(record) : filter(record));
  } catch (error) {
    const entry = { id: safeEventId(record, newId), record };
    const reason = filter === undefined ? 'reading the record failed' : 'option `filter` threw';
    return {
      kind: 'rejected',
      entry,
      error: new MappingError(entry.id, `${reason}: ${messageOf(error)}`, { cause: error }),
    };
  }
  if (!keep) return { kind: 'skip' };
  const id = safeEventId(record, newId);
  if (route === undefined) return { kind: 'entry', entry: { id, record } };
  const destination = decideDestination(record, route, id);
  if (destination instanceof Error) return { kind: 'rejected', entry: { id, record }, error: destination };
  return { kind: 'entry', entry: { id, record, route: destination } };
}

function safeEventId(record: AuditLogRecord, newId: () => string): string {
  try {
    return decideEventId(record, newId);
  } catch {
    return newId();
  }
}

/** The message of a thrown value, without running user code twice if reading it throws too. */
export function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'a value that cannot be described';
  }
}
