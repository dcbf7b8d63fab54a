import { randomUUID } from 'node:crypto';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import { decideEventId } from '../mapping/event-id.js';
import type { PipelineEntry } from '../pipeline/pipeline-entry.js';
import { prepareEntries } from '../pipeline/prepare-entries.js';
import type { PrepareOptions } from '../prepare-audit-events.js';
import type { Redactor } from '../processors/redact.js';
import type { BridgeLogRecord } from './otlp-to-audit-log-records.js';

/** The first few reasons are enough for a client to act on; the count says how many there were. */
const MAX_REASONS = 3;

/** What one request's records came to after the filter. */
export interface Admission {
  records: BridgeLogRecord[];
  skipped: number;
  rejected: number;
  /** Up to three rejection reasons, for `partialSuccess.errorMessage`. */
  reasons: string[];
}

/** What one request's records came to at intake: entries under their decided ids. */
export interface AdmittedEntries {
  records: PipelineEntry[];
  skipped: number;
  rejected: number;
  /** Up to three rejection reasons, for `partialSuccess.errorMessage`. */
  reasons: string[];
}

/**
 * Keeps the records `filter` accepts; a throwing filter rejects that record (fails closed). The one
 * place the bridge's audit decision is made: the pipeline behind it does not filter again.
 */
export function selectAuditRecords(
  records: readonly BridgeLogRecord[],
  filter: (record: AuditLogRecord) => boolean,
): Admission {
  const result: Admission = { records: [], skipped: 0, rejected: 0, reasons: [] };
  for (const record of records) {
    let keep: boolean;
    try {
      keep = filter(record);
    } catch (error) {
      result.rejected++;
      if (result.reasons.length < MAX_REASONS)
        result.reasons.push(`filter threw: ${(error as Error).message}`);
      continue;
    }
    if (keep) result.records.push(record);
    else result.skipped++;
  }
  return result;
}

function redactRecord(
  record: BridgeLogRecord,
  redactor: Redactor,
  resources: Map<object, AuditLogRecord['resource']>,
): BridgeLogRecord {
  // Records of one resource share its object; redact it once per request.
  let resource = resources.get(record.resource);
  if (resource === undefined) {
    const attributes = redactor.redactAttributes(record.resource.attributes);
    resource = attributes === record.resource.attributes ? record.resource : { attributes };
    resources.set(record.resource, resource);
  }
  const attributes = redactor.redactAttributes(record.attributes);
  const body = record.body === undefined ? undefined : redactor.redactValue(record.body);
  if (attributes === record.attributes && body === record.body && resource === record.resource) return record;
  return { ...record, attributes, body, resource };
}

/**
 * Redacts the selected records and decides each one's event id (its valid `audit.id`, else a new one),
 * carried beside the record from here on; then, with `intake` options, maps and validates them now so
 * that the client learns of invalid records in `partialSuccess` instead of them failing unseen at export.
 */
export function redactAndValidate(
  admission: Admission,
  redactor: Redactor | undefined,
  intake: PrepareOptions | undefined,
): AdmittedEntries {
  const resources = new Map<object, AuditLogRecord['resource']>();
  let records: PipelineEntry[] = admission.records.map((record) => {
    const redacted = redactor === undefined ? record : redactRecord(record, redactor, resources);
    return { id: decideEventId(redacted, randomUUID), record: redacted };
  });
  let { rejected } = admission;
  const reasons = [...admission.reasons];
  if (intake !== undefined && records.length > 0) {
    const { rejections } = prepareEntries(records, intake, Date.now());
    if (rejections.length > 0) {
      const rejectedIds = new Set(rejections.map((rejection) => rejection.eventId));
      records = records.filter((entry) => !rejectedIds.has(entry.id));
      rejected += rejections.length;
      for (const rejection of rejections.slice(0, Math.max(0, MAX_REASONS - reasons.length))) {
        reasons.push(rejection.message);
      }
    }
  }
  return { records, skipped: admission.skipped, rejected, reasons };
}
