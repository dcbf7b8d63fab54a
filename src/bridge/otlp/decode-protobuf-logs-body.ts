import { BinaryReader } from '@bufbuild/protobuf/wire';
import type { DecodeLimits } from '../decode-limits.js';
import type { BridgeLogRecord } from '../otlp-to-audit-log-records.js';
import { scanProtobufLogsRequestInSlices, type ByteRange } from '../scan-protobuf-logs.js';
import { readProtobufLogRecord } from './read-protobuf-log-record.js';
import { readProtobufResource, readProtobufScope } from './read-protobuf-resource-and-scope.js';
import { slicePacer } from './slice-pacer.js';

/**
 * Protobuf bytes of log records decoded and converted between two turns of the event loop (bytes):
 * about a millisecond of work, so eight maximal requests in turn leave /healthz answered in time.
 */
export const PROTOBUF_SLICE_BYTES = 32 * 1024;

/**
 * Protobuf bytes of log records checked against the limits between two turns of the event loop (bytes),
 * as small as the JSON scan's slices and for the same reason (see decode-json-logs-body.ts).
 */
const PROTOBUF_SCAN_SLICE_BYTES = 64 * 1024;

/** The bytes of a singular message, its ranges joined: protobuf merges a message that is sent twice. */
function joined(body: Buffer, ranges: readonly ByteRange[]): Buffer {
  if (ranges.length === 1) return body.subarray(ranges[0]![0], ranges[0]![1]);
  return Buffer.concat(ranges.map(([start, end]) => body.subarray(start, end)));
}

/**
 * Decodes a protobuf ExportLogsServiceRequest piece by piece: the limit scan (in slices) finds where
 * each resource, scope and log record is, so nothing is built for a request above the limits; each is
 * then read from its own bytes straight into what a record holds, the records in slices of
 * PROTOBUF_SLICE_BYTES with a turn of the event loop between them.
 * @throws DecodeLimitError (400 naming the limit) or OtlpDecodeError (400) naming what is wrong.
 */
export async function decodeProtobufLogsBody(
  body: Buffer,
  limits: DecodeLimits,
  receivedAt: [number, number],
): Promise<BridgeLogRecord[]> {
  const scanPacer = slicePacer(PROTOBUF_SCAN_SLICE_BYTES);
  const outline = await scanProtobufLogsRequestInSlices(body, limits, (bytes) => scanPacer.spend(bytes));
  const reader = new BinaryReader(body);
  const pacer = slicePacer(PROTOBUF_SLICE_BYTES);
  const records: BridgeLogRecord[] = [];
  for (let r = 0; r < outline.resourceLogs.length; r++) {
    const resourceLogs = outline.resourceLogs[r]!;
    const resourcePath = `resourceLogs[${r}]`;
    // Shared by the records of the ResourceLogs and ScopeLogs, as the SDK shares them.
    const resource = readProtobufResource(joined(body, resourceLogs.resource), `${resourcePath}.resource`);
    for (let s = 0; s < resourceLogs.scopeLogs.length; s++) {
      const scopeLogs = resourceLogs.scopeLogs[s]!;
      const scopePath = `${resourcePath}.scopeLogs[${s}]`;
      const scope = readProtobufScope(joined(body, scopeLogs.scope), `${scopePath}.scope`);
      for (let index = 0; index < scopeLogs.logRecords.length; index++) {
        const range = scopeLogs.logRecords[index]!;
        records.push(readProtobufLogRecord(reader, range, { scopePath, index, resource, scope }, receivedAt));
        await pacer.spend(range[1] - range[0]);
      }
    }
  }
  return records;
}
