import {
  DECODED_VALUE_OVERHEAD_BYTES,
  DecodeLimitError,
  maxNestingDepth,
  type DecodeLimits,
} from './decode-limits.js';

/*
 * Why the scan reads bytes, with its stack in typed arrays and the member names compared as bytes: the
 * earlier scan read the body decoded into one string, kept a frame object per JSON object and sliced
 * every member name into a string. On bench/bridge.ts's JSON records (~1.4 kB each, 512 per request)
 * it was 46% of the JSON decoding's CPU: 18-20 µs per record, 11-12 to scan and the rest to decode the
 * body into that string; this one takes about 5 µs (all three in one process, alternating, on the
 * loaded 2-core benchmark VM). No string of the whole body is made: a body of a few hundred kilobytes
 * decoded at once is a V8 large object on fresh pages, whose first touch costs about 5 ms per MiB on
 * such a VM; the pieces JSON.parse reads are decoded one by one, each small enough for the young
 * generation.
 *
 * UTF-8 never uses the bytes of `"`, `\`, `{`, `}`, `[`, `]`, `:` or `,` inside a multi-byte character
 * (RFC 3629, section 3), so the structure can be read on bytes, and every offset the scan gives lies on
 * a character boundary.
 */

/** What a JSON object or array is in an OTLP ExportLogsServiceRequest; OTHER for anything unknown. */
const OTHER = 0;
const REQUEST = 1;
const RESOURCE_LOGS = 2;
const RESOURCE = 3;
const SCOPE_LOGS = 4;
const SCOPE = 5;
const LOG_RECORD = 6;
const KEY_VALUE = 7;
const ANY_VALUE = 8;
const ARRAY_VALUE = 9;
const KVLIST_VALUE = 10;
/** In a member's code: the member holds an array of that kind rather than one object. */
const ARRAY_OF = 16;
/** The value in an object's place is none the schema names. */
const NO_MEMBER = -1;

/** Which limit an array's length counts against. */
const COUNTS_NOTHING = 0;
const COUNTS_RECORDS = 1;
const COUNTS_ATTRIBUTES = 2;

interface Member {
  readonly name: string;
  readonly bytes: Buffer;
  readonly code: number;
}

const members = (entries: Record<string, number>): readonly Member[] =>
  Object.entries(entries).map(([name, code]) => ({ name, bytes: Buffer.from(name, 'latin1'), code }));

/** Per object kind, the members that hold arrays (`ARRAY_OF | kind`) or objects (`kind`), as in the OTLP JSON encoding. */
const MEMBERS: readonly (readonly Member[])[] = [
  /* OTHER */ [],
  /* REQUEST */ members({ resourceLogs: ARRAY_OF | RESOURCE_LOGS }),
  /* RESOURCE_LOGS */ members({ resource: RESOURCE, scopeLogs: ARRAY_OF | SCOPE_LOGS }),
  /* RESOURCE */ members({ attributes: ARRAY_OF | KEY_VALUE }),
  /* SCOPE_LOGS */ members({ scope: SCOPE, logRecords: ARRAY_OF | LOG_RECORD }),
  /* SCOPE */ members({ attributes: ARRAY_OF | KEY_VALUE }),
  /* LOG_RECORD */ members({ body: ANY_VALUE, attributes: ARRAY_OF | KEY_VALUE }),
  /* KEY_VALUE */ members({ value: ANY_VALUE }),
  /* ANY_VALUE */ members({ arrayValue: ARRAY_VALUE, kvlistValue: KVLIST_VALUE }),
  /* ARRAY_VALUE */ members({ values: ARRAY_OF | ANY_VALUE }),
  /* KVLIST_VALUE */ members({ values: ARRAY_OF | KEY_VALUE }),
];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The member a name read at `bytes[from, to)` stands for in an object of `kind`, or NO_MEMBER. */
function memberOf(kind: number, bytes: Uint8Array, from: number, to: number, escaped: boolean): number {
  const candidates = MEMBERS[kind]!;
  if (candidates.length === 0) return NO_MEMBER;
  if (escaped) {
    // Read as JSON.parse will: an escaped member name (`"logRec\u006frds"`) is the same member; a
    // malformed one is left to JSON.parse to name.
    let name: unknown;
    try {
      name = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + from - 1, to - from + 2).toString());
    } catch {
      return NO_MEMBER;
    }
    return candidates.find((candidate) => candidate.name === name)?.code ?? NO_MEMBER;
  }
  for (const candidate of candidates) {
    const name = candidate.bytes;
    if (name.length !== to - from) continue;
    let k = 0;
    while (k < name.length && name[k] === bytes[from + k]) k++;
    if (k === name.length) return candidate.code;
  }
  return NO_MEMBER;
}

/**
 * A number or a literal (`true`, `false`, `null`) runs to the next `,`, `]`, `}` or white space. It
 * takes at least its first byte, whatever that is, so a stray byte (a vertical tab, which JSON does not
 * count as white space) cannot hold the scan in place; JSON.parse then names it.
 */
function endOfScalar(bytes: Uint8Array, start: number): number {
  let i = start + 1;
  for (; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x2c || byte === 0x5d || byte === 0x7d || byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) {
      break;
    }
  }
  return i;
}

/**
 * Checks an OTLP JSON ExportLogsServiceRequest against `limits` in one pass over its UTF-8 bytes, before
 * `JSON.parse` builds anything: the nesting depth (so `[[[[...]]]]` ten thousand deep is refused, never
 * parsed), the records, the attributes per record, scope and resource, the AnyValue depth and the decoded
 * size (a string counting its UTF-16 code units, as the string JSON.parse makes of it). Malformed JSON
 * is left to `JSON.parse` to name.
 * @throws DecodeLimitError naming the limit.
 */
export function scanJsonLogsRequest(bytes: Uint8Array, limits: DecodeLimits): void {
  createJsonLogsScanner(bytes, limits).scanTo(bytes.length);
}

/** A JSON scan in steps, and where the LogRecord objects it has read so far are. */
export interface JsonLogsScanner {
  scanTo(end: number): boolean;
  /** `[start, end)` byte offsets of each LogRecord object, in body order; they never overlap. */
  readonly logRecords: readonly (readonly [start: number, end: number])[];
}

/**
 * {@link scanJsonLogsRequest} in steps: each `scanTo(end)` reads the tokens that start before byte `end`
 * (a token crossing it is read whole) and returns true once the whole body was read. Lets the caller
 * yield to the event loop between steps, so one large request does not hold up the others.
 */
export function createJsonLogsScanner(bytes: Uint8Array, limits: DecodeLimits): JsonLogsScanner {
  return new Scanner(bytes, limits);
}

class Scanner implements JsonLogsScanner {
  readonly logRecords: [number, number][] = [];
  readonly #bytes: Uint8Array;
  readonly #limits: DecodeLimits;
  readonly #maxDepth: number;
  #i = 0;
  #records = 0;
  #decodedBytes = 0;
  /** UTF-16 code units of the string just skipped, and whether it held an escape. */
  #stringUnits = 0;
  #stringEscaped = false;
  // The stack of open objects and arrays, one slot per level; `#top` is the innermost (-1: none).
  #top = -1;
  readonly #isArray: Uint8Array;
  /** For an object its kind; for an array the kind of its elements. */
  readonly #kind: Uint8Array;
  /** AnyValue nesting level of the values inside. */
  readonly #anyDepth: Uint16Array;
  readonly #counts: Uint8Array;
  readonly #elements: Uint32Array;
  /** Where the object or array starts (its `{` or `[`). */
  readonly #start: Float64Array;
  /** Inside an object: the member the name just read stands for, until its value starts. */
  readonly #member: Int8Array;
  readonly #expectKey: Uint8Array;

  constructor(bytes: Uint8Array, limits: DecodeLimits) {
    this.#bytes = bytes;
    this.#limits = limits;
    this.#maxDepth = maxNestingDepth(limits);
    const slots = this.#maxDepth + 1;
    this.#isArray = new Uint8Array(slots);
    this.#kind = new Uint8Array(slots);
    this.#anyDepth = new Uint16Array(slots);
    this.#counts = new Uint8Array(slots);
    this.#elements = new Uint32Array(slots);
    this.#start = new Float64Array(slots);
    this.#member = new Int8Array(slots);
    this.#expectKey = new Uint8Array(slots);
  }

  scanTo(end: number): boolean {
    const bytes = this.#bytes;
    const stop = Math.min(end, bytes.length);
    let i = this.#i;
    while (i < stop) {
      const byte = bytes[i]!;
      if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) {
        i++; // white space
        continue;
      }
      const top = this.#top;
      switch (byte) {
        case 0x7b: // {
          this.#open(false, i);
          i++;
          break;
        case 0x5b: // [
          this.#open(true, i);
          i++;
          break;
        case 0x7d: // }
        case 0x5d: // ] (either closes the innermost container; JSON.parse names a mismatch)
          i++;
          if (top >= 0) {
            if (this.#kind[top] === LOG_RECORD && this.#isArray[top] === 0) {
              this.logRecords.push([this.#start[top]!, i]);
            }
            this.#top = top - 1;
          }
          break;
        case 0x3a: // :
          if (top >= 0) this.#expectKey[top] = 0;
          i++;
          break;
        case 0x2c: // ,
          if (top >= 0 && this.#isArray[top] === 0) this.#expectKey[top] = 1;
          i++;
          break;
        case QUOTE: {
          const after = this.#skipString(i);
          if (top >= 0 && this.#isArray[top] === 0 && this.#expectKey[top] === 1) {
            this.#member[top] = memberOf(this.#kind[top]!, bytes, i + 1, after - 1, this.#stringEscaped);
          } else {
            this.#valueStarts();
          }
          this.#addDecoded(this.#stringUnits);
          i = after;
          break;
        }
        default:
          this.#valueStarts();
          this.#addDecoded(0);
          i = endOfScalar(bytes, i);
      }
    }
    this.#i = i;
    return i >= bytes.length;
  }

  /** Just past the string opening at `start` (or the end of the body); notes its length and escapes. */
  #skipString(start: number): number {
    const bytes = this.#bytes;
    const length = bytes.length;
    let units = 0;
    let escaped = false;
    let i = start + 1;
    for (;;) {
      // A run of plain ASCII characters: one code unit each.
      const from = i;
      let byte = 0;
      while (i < length && (byte = bytes[i]!) !== QUOTE && byte !== BACKSLASH && byte < 0x80) i++;
      units += i - from;
      if (i >= length) break;
      if (byte === QUOTE) {
        i++;
        break;
      }
      if (byte === BACKSLASH) {
        // The escape and the character it escapes, as written.
        escaped = true;
        units += 2;
        i += 2;
      } else {
        // A continuation byte adds no code unit; a four-byte sequence is a surrogate pair.
        i++;
        if (byte >= 0xc0) units += byte >= 0xf0 ? 2 : 1;
      }
    }
    this.#stringUnits = units;
    this.#stringEscaped = escaped;
    return Math.min(i, length);
  }

  #addDecoded(units: number): void {
    this.#decodedBytes += units + DECODED_VALUE_OVERHEAD_BYTES;
    const max = this.#limits.maxDecodedBytes;
    if (this.#decodedBytes > max) {
      throw new DecodeLimitError('maxDecodedBytes', max, 'the decoded request size');
    }
  }

  /** A value starts in the innermost container: count it, and return what the schema has in its place. */
  #valueStarts(): number {
    const top = this.#top;
    if (top < 0) return REQUEST;
    if (this.#isArray[top] === 1) {
      const elements = ++this.#elements[top]!;
      const counts = this.#counts[top];
      const limits = this.#limits;
      if (counts === COUNTS_RECORDS && ++this.#records > limits.maxRecordsPerRequest) {
        throw new DecodeLimitError(
          'maxRecordsPerRequest',
          limits.maxRecordsPerRequest,
          'the number of log records',
        );
      }
      if (counts === COUNTS_ATTRIBUTES && elements > limits.maxAttributesPerRecord) {
        throw new DecodeLimitError(
          'maxAttributesPerRecord',
          limits.maxAttributesPerRecord,
          'the number of attributes',
        );
      }
      return this.#kind[top]!;
    }
    const member = this.#member[top]!;
    this.#member[top] = NO_MEMBER;
    return member;
  }

  #open(array: boolean, at: number): void {
    const parent = this.#top;
    const member = this.#valueStarts();
    if (parent + 2 > this.#maxDepth) {
      throw new DecodeLimitError(
        'maxAnyValueDepth',
        this.#limits.maxAnyValueDepth,
        `JSON nested deeper than ${this.#maxDepth} levels`,
      );
    }
    this.#addDecoded(0);
    const depth = parent < 0 ? 0 : this.#anyDepth[parent]!;
    const holds = member !== NO_MEMBER && (member & ARRAY_OF) !== 0;
    let kind: number;
    let counts = COUNTS_NOTHING;
    let anyDepth = depth;
    if (array) {
      // An array is meaningful only where the schema has one; elsewhere its elements are OTHER.
      kind = holds ? member & ~ARRAY_OF : OTHER;
      const holder = parent < 0 ? OTHER : this.#kind[parent];
      if (kind === LOG_RECORD) counts = COUNTS_RECORDS;
      else if (kind === KEY_VALUE && (holder === LOG_RECORD || holder === RESOURCE || holder === SCOPE)) {
        counts = COUNTS_ATTRIBUTES;
      }
    } else {
      kind = member === NO_MEMBER || holds ? OTHER : member;
      if (kind === ARRAY_VALUE || kind === KVLIST_VALUE) {
        if (depth + 1 > this.#limits.maxAnyValueDepth) {
          throw new DecodeLimitError(
            'maxAnyValueDepth',
            this.#limits.maxAnyValueDepth,
            'the AnyValue nesting depth',
          );
        }
        anyDepth = depth + 1;
      }
    }
    const top = parent + 1;
    this.#top = top;
    this.#isArray[top] = array ? 1 : 0;
    this.#kind[top] = kind;
    this.#anyDepth[top] = anyDepth;
    this.#counts[top] = counts;
    this.#elements[top] = 0;
    this.#start[top] = at;
    this.#member[top] = NO_MEMBER;
    this.#expectKey[top] = array ? 0 : 1;
  }
}
