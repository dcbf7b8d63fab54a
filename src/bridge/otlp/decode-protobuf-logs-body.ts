import type { DecodeLimits } from '../decode-limits.js';
import { decodeProtobufLogRecord, decodeProtobufResource, decodeProtobufScope } from '../otlp-logs-proto.js';
import {
  logRecordEntries,
  OtlpDecodeError,
  toBridgeLogRecord,
  type BridgeLogRecord,
} from '../otlp-to-audit-log-records.js';
import { scanProtobufLogsRequestInSlices, type ByteRange } from '../scan-protobuf-logs.js';
import { slicePacer } from './slice-pacer.js';

/**
 * Protobuf bytes of log records decoded and converted between two turns of the event loop (bytes):
 * about a millisecond of work, so eight maximal requests in turn leave /healthz answered in time.
 */
export const PROTOBUF_SLICE_BYTES = 32 * 1024;

/** Protobuf bytes of log records checked against the limits between two turns of the event loop (bytes). */
const PROTOBUF_SCAN_SLICE_BYTES = 256 * 1024;

function decodeOrFail<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw new OtlpDecodeError(`malformed protobuf body: ${(error as Error).message}`);
  }
}

/** The bytes of a singular message, its ranges joined: protobuf merges a message that is sent twice. */
function joined(body: Buffer, ranges: readonly ByteRange[]): Buffer {
  if (ranges.length === 1) return body.subarray(ranges[0]![0], ranges[0]![1]);
  return Buffer.concat(ranges.map(([start, end]) => body.subarray(start, end)));
}

/**
 * Decodes a protobuf ExportLogsServiceRequest piece by piece: the limit scan (in slices) finds where
 * each resource, scope and log record is; each is decoded alone by the generated code, and the records
 * are converted in slices of PROTOBUF_SLICE_BYTES with a turn of the event loop between them.
 * @throws DecodeLimitError (400 naming the limit) or OtlpDecodeError (400) naming what is wrong.
 */
export async function decodeProtobufLogsBody(
  body: Buffer,
  limits: DecodeLimits,
  receivedAt: [number, number],
): Promise<BridgeLogRecord[]> {
  const scanPacer = slicePacer(PROTOBUF_SCAN_SLICE_BYTES);
  const outline = await scanProtobufLogsRequestInSlices(body, limits, (bytes) => scanPacer.spend(bytes));
  // The request with each resource and scope decoded and each log record still a byte range.
  const request = {
    resourceLogs: outline.resourceLogs.map((resourceLogs) => ({
      resource:
        resourceLogs.resource.length === 0
          ? undefined
          : decodeOrFail(() => decodeProtobufResource(joined(body, resourceLogs.resource))),
      scopeLogs: resourceLogs.scopeLogs.map((scopeLogs) => ({
        scope:
          scopeLogs.scope.length === 0
            ? undefined
            : decodeOrFail(() => decodeProtobufScope(joined(body, scopeLogs.scope))),
        logRecords: scopeLogs.logRecords,
      })),
    })),
  };
  const pacer = slicePacer(PROTOBUF_SLICE_BYTES);
  const records: BridgeLogRecord[] = [];
  for (const entry of logRecordEntries(request, 'protobuf')) {
    const [start, end] = entry.value as ByteRange;
    const logRecord = decodeOrFail(() => decodeProtobufLogRecord(body.subarray(start, end)));
    records.push(toBridgeLogRecord(entry, logRecord, 'protobuf', receivedAt));
    await pacer.spend(end - start);
  }
  return records;
}
