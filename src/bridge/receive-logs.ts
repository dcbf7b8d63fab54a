import pLimit from 'p-limit';
import { componentLogger } from '../internal/diag.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { MappingOptions } from '../mapping/mapping-options.js';
import type { Redactor } from '../processors/redact.js';
import { admitRecords, selectAuditRecords } from './admit-records.js';
import type { BridgeClient } from './bridge-clients.js';
import { countBy, type BridgeCounters } from './bridge-counters.js';
import type { ResolvedBridgeOptions } from './bridge-options.js';
import type { BridgeSink } from './bridge-sink.js';
import { DecodeLimitError } from './decode-limits.js';
import { decodeLogsBody } from './decode-logs-request.js';
import { OtlpDecodeError, type BridgeLogRecord } from './otlp-to-audit-log-records.js';
import { BodyError, unpackBody, type ReceivedBody } from './read-body.js';
import type { BodyEncoding } from './write-otlp-response.js';

const logger = componentLogger('CloudTrailLakeBridge');

/**
 * Requests are decoded and admitted one at a time, across the process (decoding alone already is, in
 * `decode-logs-request.ts`). It is all on the one event loop, so taking turns costs no throughput; but
 * the decoded records of only one request are alive at a time (the others wait as their bodies, at most
 * `maxConcurrentRequests` of them), which keeps the heap, and so the garbage collector's pauses, small,
 * and each turn of the loop holds one slice of one request.
 */
const receiveOneAtATime = pLimit(1);

/** Rejection codes of records the bridge refuses itself, beside the pins' (`authorize-records.ts`). */
export const INTAKE_REJECTION_CODES = Object.freeze({
  /** The filter threw, or validation on intake failed (the reason in `partialSuccess` names the field). */
  invalid: 'CTL_ERR_BRIDGE_INVALID_RECORD',
  /** The spool refused the record (full). */
  spoolFull: 'CTL_ERR_BRIDGE_SPOOL_FULL',
} as const);

/** What handling one OTLP request needs from the bridge around it. */
export interface LogsReceiverContext {
  options: ResolvedBridgeOptions;
  sink: BridgeSink;
  counters: BridgeCounters;
  filter: (record: AuditLogRecord) => boolean;
  redactor: Redactor | undefined;
  /** The mapping options pins are checked with. */
  mapping: MappingOptions;
}

/** The `partial_success` of an ExportLogsServiceResponse. */
export interface ExportPartialSuccess {
  rejectedLogRecords: number;
  errorMessage: string;
}

/**
 * What became of one export request, whatever the transport; the OTLP/HTTP and OTLP/gRPC shells each
 * turn it into their answer (https://opentelemetry.io/docs/specs/otlp/#failures).
 * - `accepted`: the records kept went to the pipeline; refused ones are counted in `partialSuccess`.
 * - `throttled`: nothing kept; the client retries after `retryAfterSeconds` (HTTP 429, RESOURCE_EXHAUSTED).
 * - `unavailable`: the bridge is shutting down; retry elsewhere or later (HTTP 503, UNAVAILABLE).
 * - `tooLarge` and `invalid`: nothing kept and a retry would fail again (HTTP 413 / 400, INVALID_ARGUMENT).
 */
export type LogsOutcome =
  | { kind: 'accepted'; partialSuccess: ExportPartialSuccess | undefined }
  | { kind: 'throttled' | 'unavailable' | 'tooLarge' | 'invalid'; message: string };

/**
 * Handles the bytes of one authenticated ExportLogsServiceRequest: decode within the limits, keep the
 * audit records the client may write, redact and validate them, hand them to the pipeline, and say what
 * was kept, refused (`partialSuccess`) or throttled (nothing kept). Counts everything it decides. Each
 * step after decoding runs in slices with turns of the event loop between them (`admit-records.ts`), so
 * a large request does not hold /healthz and other requests until it is admitted.
 */
export async function receiveLogs(
  context: LogsReceiverContext,
  body: ReceivedBody,
  encoding: BodyEncoding,
  client: BridgeClient | undefined,
): Promise<LogsOutcome> {
  return receiveOneAtATime(() => receiveOne(context, body, encoding, client));
}

async function receiveOne(
  context: LogsReceiverContext,
  body: ReceivedBody,
  encoding: BodyEncoding,
  client: BridgeClient | undefined,
): Promise<LogsOutcome> {
  const { options, sink, counters } = context;
  const from = client?.name ?? 'an anonymous client';
  let records: BridgeLogRecord[];
  try {
    // Gunzipped in its turn: a request waiting for it holds its compressed body only.
    const bytes = await unpackBody(body, options.maxBodyBytes);
    records = await decodeLogsBody(bytes, encoding, options);
  } catch (error) {
    if (error instanceof BodyError) {
      return { kind: error.statusCode === 413 ? 'tooLarge' : 'invalid', message: error.message };
    }
    if (error instanceof DecodeLimitError) {
      logger.warn(`Refused a request from ${from} as invalid: ${error.message}`);
      return { kind: 'invalid', message: `Request refused: ${error.message}` };
    }
    if (error instanceof OtlpDecodeError)
      return { kind: 'invalid', message: `Not a valid ExportLogsServiceRequest: ${error.message}` };
    throw error;
  }

  const nowMillis = Date.now();
  const selected = await selectAuditRecords(records, context.filter);
  const count = selected.records.length;
  if (count > options.maxQueueSize) {
    const message = `request holds ${count} audit records, above maxQueueSize (${options.maxQueueSize}); send smaller batches`;
    return { kind: 'tooLarge', message };
  }
  // All or nothing: keeping part of a request would duplicate that part when the client retries.
  // Requests are received one at a time, so no other request is admitted between this check and the emit.
  if (sink.pendingRecords + count > options.maxQueueSize) {
    counters.throttledRequests++;
    const message = `export queue full (${sink.pendingRecords} of maxQueueSize ${options.maxQueueSize} records pending); retry later`;
    return { kind: 'throttled', message };
  }
  const { redactor, mapping } = context;
  const steps = { client, mapping, redactor, prepare: sink.prepare };
  const admitted = await admitRecords(selected, steps, nowMillis);
  // Backpressure keeps the processor's queue from filling; a full spool can still refuse records.
  const dropped = sink.emit(admitted.records, admitted.ready) ?? 0;
  countBy(counters.rejectedByCode, INTAKE_REJECTION_CODES.invalid, selected.rejected + admitted.invalid);
  for (const [code, refused] of Object.entries(admitted.pinRejectedByCode)) {
    countBy(counters.rejectedByCode, code, refused);
  }
  const { records: ready, skipped, reasons } = admitted;
  if (dropped > 0) reasons.push(`${dropped} dropped because the bridge's spool is full`);
  countBy(counters.rejectedByCode, INTAKE_REJECTION_CODES.spoolFull, dropped);
  const rejected = admitted.rejected + dropped;
  counters.receivedRecords += records.length;
  counters.acceptedRecords += ready.length - dropped;
  counters.skippedRecords += skipped;
  counters.rejectedRecords += rejected;
  if (rejected > 0) {
    logger.warn(
      `Rejected ${rejected} of ${records.length} log record(s) from ${from} ` +
        `(reported in partialSuccess): ${reasons.join('; ')}`,
    );
  }
  const messages = [
    ...(rejected > 0 ? [`${rejected} log record(s) rejected: ${reasons.join('; ')}`] : []),
    ...(skipped > 0 ? [`${skipped} log record(s) carried no audit.* attribute and were skipped`] : []),
  ];
  const partialSuccess =
    messages.length === 0 ? undefined : { rejectedLogRecords: rejected, errorMessage: messages.join('; ') };
  return { kind: 'accepted', partialSuccess };
}
