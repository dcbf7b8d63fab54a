import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DecodeLimits } from '../decode-limits.js';
import {
  logRecordEntries,
  OtlpDecodeError,
  toBridgeLogRecord,
  type BridgeLogRecord,
} from '../otlp-to-audit-log-records.js';
import { createJsonLogsScanner } from '../scan-json-logs.js';
import { slicePacer } from './slice-pacer.js';

/**
 * JSON bytes scanned between two turns of the event loop (bytes): well under a millisecond of work once
 * optimised. A bridge's first maximal requests run the scan before the JIT has optimised it, when a
 * 256 KiB slice held the loop for 10 ms (CPU profile of bench/bridge.ts's /healthz scenario).
 */
const SCAN_SLICE_BYTES = 64 * 1024;

/**
 * JSON bytes of log records parsed and converted between two turns of the event loop (bytes): about a
 * millisecond of work, so eight maximal requests in turn leave /healthz answered in time.
 */
export const JSON_SLICE_BYTES = 32 * 1024;

/**
 * The member standing for a log record in the request's outline: the scan saw an object in its place,
 * and every object there is replaced, so none of the client's own can pass for one.
 */
const RECORD_INDEX = '\u0000logRecordIndex';

function parseOrFail(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`malformed json body: ${(error as Error).message}`);
  }
}

/**
 * Decodes an OTLP JSON ExportLogsServiceRequest piece by piece. The limit scan runs over the bytes in
 * slices and finds where each LogRecord object is; the text around them, with each record replaced by
 * its index, is decoded and parsed first (small: resources and scopes); then each record is decoded
 * from its own bytes, parsed and converted, in slices of JSON_SLICE_BYTES with a turn of the event loop
 * between them. No string of the whole body is made (see scan-json-logs.ts). The records and the text
 * around them all parse exactly when the whole text does, so JSON.parse's verdict and its handling of
 * repeated members are kept; UTF-8 is decoded the same in pieces, as they start and end on ASCII bytes.
 * @throws DecodeLimitError (400 naming the limit) or OtlpDecodeError (400) naming what is wrong.
 */
export async function decodeJsonLogsBody(
  body: Buffer,
  limits: DecodeLimits,
  receivedAt: [number, number],
): Promise<BridgeLogRecord[]> {
  const scanner = createJsonLogsScanner(body, limits);
  for (let end = SCAN_SLICE_BYTES; !scanner.scanTo(end); end += SCAN_SLICE_BYTES) await nextTurn();
  const ranges = scanner.logRecords;
  const outline: string[] = [];
  let at = 0;
  ranges.forEach(([start, end], index) => {
    outline.push(body.toString('utf8', at, start), `{${JSON.stringify(RECORD_INDEX)}:${index}}`);
    at = end;
  });
  outline.push(body.toString('utf8', at));
  const request = parseOrFail(outline.join(''));
  const pacer = slicePacer(JSON_SLICE_BYTES);
  const records: BridgeLogRecord[] = [];
  for (const entry of logRecordEntries(request, 'json')) {
    const index = (entry.value as Record<string, unknown> | null)?.[RECORD_INDEX];
    // Not an object: left in place by the scan, for the conversion to name.
    const range = typeof index === 'number' ? ranges[index] : undefined;
    const value = range === undefined ? entry.value : parseOrFail(body.toString('utf8', range[0], range[1]));
    records.push(toBridgeLogRecord(entry, value, 'json', receivedAt));
    await pacer.spend(range === undefined ? 1 : range[1] - range[0]);
  }
  return records;
}
