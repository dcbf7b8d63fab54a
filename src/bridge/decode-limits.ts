import { OtlpDecodeError } from './otlp-to-audit-log-records.js';

/**
 * What one OTLP request may hold, checked while its body is scanned and before any record object is
 * built, so a hostile request costs a pass over its bytes and no more. Defaults: DEFAULTS.bridgeMax*.
 */
export interface DecodeLimits {
  /** Log records in one request (records). */
  maxRecordsPerRequest: number;
  /** Attributes of one log record, and of one resource or scope (attributes). */
  maxAttributesPerRecord: number;
  /** Nesting of AnyValue arrays and maps, a plain value being depth 0 (levels). */
  maxAnyValueDepth: number;
  /**
   * Estimated memory of the decoded request: the bytes of every string and byte string, plus
   * DECODED_VALUE_OVERHEAD_BYTES for every value and message (bytes).
   */
  maxDecodedBytes: number;
}

/** The OTLP logs messages a scan tells apart, in either encoding. */
export type OtlpLogsMessage =
  | 'request'
  | 'resourceLogs'
  | 'resource'
  | 'scopeLogs'
  | 'scope'
  | 'logRecord'
  | 'keyValue'
  | 'anyValue'
  | 'arrayValue'
  | 'kvlistValue';

/**
 * What each decoded value costs beside its text, about what V8 takes for a small object or a boxed
 * number: it makes a million tiny attributes count as the memory they take once decoded (bytes).
 */
export const DECODED_VALUE_OVERHEAD_BYTES = 32;

/** A request above one of the DecodeLimits; answered 400 with the limit's name. */
export class DecodeLimitError extends OtlpDecodeError {
  constructor(
    readonly limit: keyof DecodeLimits,
    readonly value: number,
    what: string,
  ) {
    super(`${what} is above \`${limit}\` (${value})`);
  }
}

/**
 * How deep any JSON (or protobuf message) nesting may go: an AnyValue level takes three JSON levels
 * (AnyValue object, arrayValue/kvlistValue object, values array, plus a KeyValue object in a map), and
 * the request envelope about ten more. Deeper input is refused whatever its shape, before it is parsed.
 */
export function maxNestingDepth(limits: DecodeLimits): number {
  return limits.maxAnyValueDepth * 4 + 16;
}
