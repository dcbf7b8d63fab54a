import { randomUUID } from 'node:crypto';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import { AUDIT_ID_ATTRIBUTE, isValidEventId } from '../mapping/event-id.js';
import { prepareAuditEvents, type PrepareOptions } from '../prepare-audit-events.js';
import type { Redactor } from '../processors/redact.js';
import type { BridgeLogRecord } from './otlp-to-audit-log-records.js';

/** The first few reasons are enough for a client to act on; the count says how many there were. */
const MAX_REASONS = 3;

/** What one request's records came to. */
export interface Admission {
  records: BridgeLogRecord[];
  skipped: number;
  rejected: number;
  /** Up to three rejection reasons, for `partialSuccess.errorMessage`. */
  reasons: string[];
}

/** Keeps the records `filter` accepts; a throwing filter rejects that record (fails closed). */
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
 * Gives a record its event id in `audit.id` when it has no valid one, at intake: the id then travels with
 * the plain record through validation, the spool and every retry.
 */
function withEventId(record: BridgeLogRecord): BridgeLogRecord {
  if (isValidEventId(record.attributes[AUDIT_ID_ATTRIBUTE])) return record;
  return { ...record, attributes: { ...record.attributes, [AUDIT_ID_ATTRIBUTE]: randomUUID() } };
}

/**
 * Redacts the selected records and gives each its event id, then, with `intake` options, maps and
 * validates them now so that the client learns of invalid records in `partialSuccess` instead of them
 * failing unseen at export.
 */
export function redactAndValidate(
  admission: Admission,
  redactor: Redactor | undefined,
  intake: PrepareOptions | undefined,
): Admission {
  const resources = new Map<object, AuditLogRecord['resource']>();
  let records = admission.records.map((record) =>
    withEventId(redactor === undefined ? record : redactRecord(record, redactor, resources)),
  );
  let { rejected } = admission;
  const reasons = [...admission.reasons];
  if (intake !== undefined && records.length > 0) {
    const { rejections } = prepareAuditEvents(records, intake, { now: Date.now, newId: randomUUID });
    if (rejections.length > 0) {
      const rejectedIds = new Set(rejections.map((rejection) => rejection.eventId));
      records = records.filter((record) => !rejectedIds.has(record.attributes[AUDIT_ID_ATTRIBUTE] as string));
      rejected += rejections.length;
      for (const rejection of rejections.slice(0, Math.max(0, MAX_REASONS - reasons.length))) {
        reasons.push(rejection.message);
      }
    }
  }
  return { records, skipped: admission.skipped, rejected, reasons };
}
