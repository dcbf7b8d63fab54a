import {
  DECODED_VALUE_OVERHEAD_BYTES,
  DecodeLimitError,
  maxNestingDepth,
  type DecodeLimits,
  type OtlpLogsMessage,
} from './decode-limits.js';

/** What a JSON object or array is in an OTLP ExportLogsServiceRequest; `other` for anything unknown. */
type Kind = OtlpLogsMessage | 'other';

/** Per object kind, the members that hold arrays (`[kind]`) or objects (`kind`), as in the OTLP JSON encoding. */
const MEMBERS: Readonly<Partial<Record<Kind, Readonly<Record<string, Kind | [Kind]>>>>> = {
  request: { resourceLogs: ['resourceLogs'] },
  resourceLogs: { resource: 'resource', scopeLogs: ['scopeLogs'] },
  resource: { attributes: ['keyValue'] },
  scopeLogs: { scope: 'scope', logRecords: ['logRecord'] },
  scope: { attributes: ['keyValue'] },
  logRecord: { body: 'anyValue', attributes: ['keyValue'] },
  keyValue: { value: 'anyValue' },
  anyValue: { arrayValue: 'arrayValue', kvlistValue: 'kvlistValue' },
  arrayValue: { values: ['anyValue'] },
  kvlistValue: { values: ['keyValue'] },
};

interface Frame {
  readonly array: boolean;
  /** For an object its kind; for an array the kind of its elements. */
  readonly kind: Kind;
  /** AnyValue nesting level of the values inside. */
  readonly depth: number;
  /** For an array of attributes or records: which limit its length counts against. */
  readonly counts: 'attributes' | 'records' | undefined;
  elements: number;
  /** Where the object or array starts in the text (its `{` or `[`). */
  readonly start: number;
  /** Inside an object: the member name just read, until its value starts. */
  key: string | undefined;
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The index just past the string starting at `start` (a quote); the end of the text when it never closes. */
function skipString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    // indexOf runs in native code: much faster than a loop over characters for long strings.
    const quote = text.indexOf('"', i);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** A quoted member name with escapes, as JSON.parse reads it; a malformed one is left to JSON.parse to name. */
function unescapeKey(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}

/** A number or a literal (`true`, `false`, `null`) runs to the next delimiter. */
const SCALAR_END = /[,\]}\s]/g;

function endOfScalar(text: string, start: number): number {
  SCALAR_END.lastIndex = start;
  return SCALAR_END.exec(text) === null ? text.length : SCALAR_END.lastIndex - 1;
}

/**
 * Checks an OTLP JSON ExportLogsServiceRequest against `limits` in one pass over its text, before
 * `JSON.parse` builds anything: the nesting depth (so `[[[[...]]]]` ten thousand deep is refused, never
 * parsed), the records, the attributes per record, scope and resource, the AnyValue depth and the decoded
 * size. Malformed JSON is left to `JSON.parse` to name.
 * @throws DecodeLimitError naming the limit.
 */
export function scanJsonLogsRequest(text: string, limits: DecodeLimits): void {
  createJsonLogsScanner(text, limits).scanTo(text.length);
}

/** A JSON scan in steps, and where the LogRecord objects it has read so far are. */
export interface JsonLogsScanner {
  scanTo(end: number): boolean;
  /** `[start, end)` character offsets of each LogRecord object, in text order; they never overlap. */
  readonly logRecords: readonly (readonly [start: number, end: number])[];
}

/**
 * {@link scanJsonLogsRequest} in steps: each `scanTo(end)` reads the tokens that start before `end`
 * (a token crossing it is read whole) and returns true once the whole text was read. Lets the caller
 * yield to the event loop between steps, so one large request does not hold up the others.
 */
export function createJsonLogsScanner(text: string, limits: DecodeLimits): JsonLogsScanner {
  const maxDepth = maxNestingDepth(limits);
  const stack: Frame[] = [];
  const logRecords: [number, number][] = [];
  let records = 0;
  let decodedBytes = 0;
  const addDecoded = (bytes: number): void => {
    decodedBytes += bytes + DECODED_VALUE_OVERHEAD_BYTES;
    if (decodedBytes > limits.maxDecodedBytes) {
      throw new DecodeLimitError('maxDecodedBytes', limits.maxDecodedBytes, 'the decoded request size');
    }
  };
  /** A value starts in the innermost container: count it, and return what the schema has in its place. */
  const valueStarts = (): Kind | [Kind] | undefined => {
    const top = stack[stack.length - 1];
    if (top === undefined) return 'request';
    if (top.array) {
      top.elements++;
      if (top.counts === 'records' && ++records > limits.maxRecordsPerRequest) {
        throw new DecodeLimitError(
          'maxRecordsPerRequest',
          limits.maxRecordsPerRequest,
          'the number of log records',
        );
      }
      if (top.counts === 'attributes' && top.elements > limits.maxAttributesPerRecord) {
        throw new DecodeLimitError(
          'maxAttributesPerRecord',
          limits.maxAttributesPerRecord,
          'the number of attributes',
        );
      }
      return top.kind;
    }
    const member = top.key === undefined ? undefined : MEMBERS[top.kind]?.[top.key];
    top.key = undefined;
    return member;
  };
  const open = (array: boolean): void => {
    const parent = stack[stack.length - 1];
    const member = valueStarts();
    if (stack.length + 1 > maxDepth) {
      throw new DecodeLimitError(
        'maxAnyValueDepth',
        limits.maxAnyValueDepth,
        `JSON nested deeper than ${maxDepth} levels`,
      );
    }
    addDecoded(0);
    const depth = parent?.depth ?? 0;
    if (array) {
      // An array is meaningful only where the schema has one; elsewhere its elements are `other`.
      const kind = Array.isArray(member) ? member[0] : 'other';
      const holder = parent?.kind;
      const counts =
        kind === 'logRecord'
          ? 'records'
          : kind === 'keyValue' && (holder === 'logRecord' || holder === 'resource' || holder === 'scope')
            ? 'attributes'
            : undefined;
      stack.push({ array, kind, depth, counts, elements: 0, start: i, key: undefined, expectKey: false });
      return;
    }
    const kind = member === undefined || Array.isArray(member) ? 'other' : member;
    const nested = kind === 'arrayValue' || kind === 'kvlistValue';
    if (nested && depth + 1 > limits.maxAnyValueDepth) {
      throw new DecodeLimitError('maxAnyValueDepth', limits.maxAnyValueDepth, 'the AnyValue nesting depth');
    }
    stack.push({
      array,
      kind,
      depth: nested ? depth + 1 : depth,
      counts: undefined,
      elements: 0,
      start: i,
      key: undefined,
      expectKey: true,
    });
  };

  let i = 0;
  const scanTo = (end: number): boolean => {
    while (i < end && i < text.length) {
      const code = text.charCodeAt(i);
      const top = stack[stack.length - 1];
      switch (code) {
        case 0x7b: // {
          open(false);
          i++;
          break;
        case 0x5b: // [
          open(true);
          i++;
          break;
        case 0x7d: // }
        case 0x5d: {
          // ] (either closes the innermost container)
          const closed = stack.pop();
          i++;
          if (closed?.kind === 'logRecord' && !closed.array) logRecords.push([closed.start, i]);
          break;
        }
        case 0x3a: // :
          if (top !== undefined) top.expectKey = false;
          i++;
          break;
        case 0x2c: // ,
          if (top !== undefined && !top.array) top.expectKey = true;
          i++;
          break;
        case 0x20:
        case 0x09:
        case 0x0a:
        case 0x0d:
          i++;
          break;
        case QUOTE: {
          const end = skipString(text, i);
          if (top !== undefined && !top.array && top.expectKey) {
            // Read as JSON.parse will: an escaped member name (`"logRec\u006frds"`) is the same member.
            const raw = text.slice(i + 1, end - 1);
            top.key = raw.includes('\\') ? unescapeKey(text.slice(i, end)) : raw;
            addDecoded(end - i - 2);
          } else {
            valueStarts();
            addDecoded(end - i - 2);
          }
          i = end;
          break;
        }
        default: {
          // A number or a literal: runs to the next delimiter.
          valueStarts();
          addDecoded(0);
          i = endOfScalar(text, i);
        }
      }
    }
    return i >= text.length;
  };
  return { scanTo, logRecords };
}
