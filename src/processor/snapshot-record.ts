/**
 * What the processor keeps of a log record between `onEmit` and the microtask that prepares it: the
 * fields the mapping reads, with the attributes copied. Processors registered after this one may still
 * change the SDK's record in the same emit() call (`setAttribute`, `setBody`), and the durable spool has
 * already written the record as it was here; the event sent is that same record, whatever is changed later.
 */
import type { AuditLogRecord } from '../mapping/audit-log-record.js';

/** A copy of `record` that later changes to the record do not reach. Throws when a field cannot be read. */
export function snapshotRecord(record: AuditLogRecord): AuditLogRecord {
  return {
    hrTime: record.hrTime,
    hrTimeObserved: record.hrTimeObserved,
    spanContext: record.spanContext,
    severityText: record.severityText,
    severityNumber: record.severityNumber,
    body: record.body,
    eventName: record.eventName,
    resource: record.resource,
    instrumentationScope: record.instrumentationScope,
    attributes: { ...record.attributes },
  };
}
