import { randomUUID } from 'node:crypto';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import { decideEventId } from '../mapping/event-id.js';
import type { MappingOptions } from '../mapping/mapping-options.js';
import type { PipelineEntry, SendEntry } from '../pipeline/pipeline-entry.js';
import type { Redactor } from '../processors/redact.js';
import { authorizeRecords } from './authorize-records.js';
import type { BridgeClient } from './bridge-clients.js';
import { countBy } from './bridge-counters.js';
import { forEachSlice } from './otlp/slice-pacer.js';
import type { IntakePreparer } from './prepare-on-intake.js';
import type { BridgeLogRecord } from './otlp-to-audit-log-records.js';

/** The first few reasons are enough for a client to act on; the count says how many there were. */
const MAX_REASONS = 3;

/**
 * Records admitted per turn of the event loop. A record's size is bounded by the decode limits
 * (attributes per record, AnyValue depth), so a slice of this many is a few milliseconds of mapping and
 * validation, and a maximal request (10,000 records by default) is admitted in a hundred turns rather
 * than one that held /healthz and every other request for seconds.
 */
export const ADMISSION_SLICE_RECORDS = 100;

/** What one request's records came to after the filter. */
export interface Admission {
  records: BridgeLogRecord[];
  skipped: number;
  rejected: number;
  /** Up to three rejection reasons, for `partialSuccess.errorMessage`. */
  reasons: string[];
}

/** What the steps after the filter need: who sent the records, and how to redact and prepare them. */
export interface AdmissionSteps {
  client: BridgeClient | undefined;
  /** The mapping options pins are checked with. */
  mapping: MappingOptions;
  redactor: Redactor | undefined;
  /** With this (the sink's), records are routed and prepared now, so the client learns which are invalid. */
  prepare: IntakePreparer | undefined;
}

/** What one request's records came to at intake: entries under their decided ids. */
export interface AdmittedEntries {
  records: PipelineEntry[];
  /** With `prepare`: what it made of each of `records`, in the same order. */
  ready: SendEntry[] | undefined;
  skipped: number;
  /** All refused records: by the filter, by the client's pins, by validation. */
  rejected: number;
  /** Up to three rejection reasons, for `partialSuccess.errorMessage`. */
  reasons: string[];
  /** The records refused by the client's pins, by their rejection code. */
  pinRejectedByCode: Record<string, number>;
  /** The records refused by validation on intake. */
  invalid: number;
}

function addReason(reasons: string[], reason: string): void {
  if (reasons.length < MAX_REASONS) reasons.push(reason);
}

/**
 * Keeps the records `filter` accepts; a throwing filter rejects that record (fails closed). The one
 * place the bridge's audit decision is made: the pipeline behind it does not filter again. Runs in
 * slices of ADMISSION_SLICE_RECORDS, as `filter` is user code of unknown cost.
 */
export async function selectAuditRecords(
  records: readonly BridgeLogRecord[],
  filter: (record: AuditLogRecord) => boolean,
): Promise<Admission> {
  const result: Admission = { records: [], skipped: 0, rejected: 0, reasons: [] };
  await forEachSlice(records, ADMISSION_SLICE_RECORDS, (slice) => {
    for (const record of slice) {
      let keep: boolean;
      try {
        keep = filter(record);
      } catch (error) {
        result.rejected++;
        addReason(result.reasons, `filter threw: ${(error as Error).message}`);
        continue;
      }
      if (keep) result.records.push(record);
      else result.skipped++;
    }
  });
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
 * Takes the selected records through the rest of intake, in slices of ADMISSION_SLICE_RECORDS with a
 * turn of the event loop between them: keeps those the client's pins allow (`authorizeRecords`),
 * redacts them and decides each one's event id (its valid `audit.id`, else a new one), carried beside
 * the record from here on; then, with the sink's `prepare`, routes them and maps, validates and
 * serialises them, once, so that the client learns of invalid records in `partialSuccess` instead of
 * them failing unseen at export. Every slice
 * uses the same `nowMillis`, so a request's records get the same fallback times whatever its size.
 * Nothing is handed on from here: the caller emits the result as a whole or not at all.
 */
export async function admitRecords(
  selected: Admission,
  steps: AdmissionSteps,
  nowMillis: number,
): Promise<AdmittedEntries> {
  const { client, mapping, redactor, prepare } = steps;
  const result: AdmittedEntries = {
    records: [],
    ready: prepare === undefined ? undefined : [],
    skipped: selected.skipped,
    rejected: selected.rejected,
    reasons: [...selected.reasons],
    pinRejectedByCode: {},
    invalid: 0,
  };
  const resources = new Map<object, AuditLogRecord['resource']>();
  await forEachSlice(selected.records, ADMISSION_SLICE_RECORDS, (slice) => {
    const authorized = authorizeRecords(slice, client, mapping, nowMillis);
    for (const rejection of authorized.rejections) {
      countBy(result.pinRejectedByCode, rejection.code);
      addReason(result.reasons, rejection.message);
    }
    result.rejected += authorized.rejections.length;
    const entries: PipelineEntry[] = authorized.records.map((record) => {
      const redacted = redactor === undefined ? record : redactRecord(record, redactor, resources);
      return { id: decideEventId(redacted, randomUUID), record: redacted };
    });
    if (prepare === undefined) {
      for (const entry of entries) result.records.push(entry);
      return;
    }
    const prepared = prepare(entries, nowMillis);
    result.invalid += prepared.rejections.length;
    result.rejected += prepared.rejections.length;
    for (const rejection of prepared.rejections) addReason(result.reasons, rejection.message);
    for (const entry of prepared.entries) result.records.push(entry);
    for (const ready of prepared.ready) result.ready!.push(ready);
  });
  return result;
}
