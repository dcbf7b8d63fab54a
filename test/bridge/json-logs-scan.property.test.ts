// Checks the byte scan of OTLP JSON requests and the piece-by-piece JSON decoding against two oracles,
// on generated requests (Unicode strings, escaped member names, unknown members, white space) under
// small limits: the character scan it replaced must refuse the same requests with the same limit and
// find the same log records, and decoding must give what converting JSON.parse's whole tree gives.
// Limits at their boundaries over HTTP: bridge-limits.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeLimitError, type DecodeLimits } from '../../src/bridge/decode-limits.js';
import { decodeJsonLogsBody } from '../../src/bridge/otlp/decode-json-logs-body.js';
import { otlpToAuditLogRecords } from './fixtures/reflective-otlp-conversion.js';
import { createJsonLogsScanner } from '../../src/bridge/scan-json-logs.js';
import { createJsonLogsScanner as characterScanner } from './fixtures/character-json-logs-scan.js';

const RECEIVED: [number, number] = [1_800_000_000, 0];

/** Strings of any code points, astral ones included, so UTF-16 units and UTF-8 bytes differ. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'é', '€', '😀', '"', '\\', '\n'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});

const { anyValue } = fc.letrec<{ anyValue: unknown; keyValue: unknown }>((tie) => ({
  anyValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ stringValue: text }),
    fc.record({
      intValue: fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)),
    }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({ doubleValue: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('anyValue'), { maxLength: 3 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(tie('keyValue'), { maxLength: 3 }) }) }),
  ),
  keyValue: fc.record({ key: text, value: tie('anyValue') }),
}));
const keyValue = fc.record({ key: text, value: anyValue });
const attributes = fc.array(keyValue, { maxLength: 4 });

const logRecord = fc.record(
  {
    timeUnixNano: fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String),
    severityNumber: fc.integer({ min: 0, max: 24 }),
    severityText: text,
    eventName: text,
    body: anyValue,
    attributes,
    traceId: fc.constantFrom('0af7651916cd43dd8448eb211c80319c', '00000000000000000000000000000000'),
    spanId: fc.constant('b7ad6b7169203331'),
    unknownMember: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);

const request = fc.record({
  resourceLogs: fc.array(
    fc.record({
      resource: fc.record({ attributes }),
      scopeLogs: fc.array(
        fc.record({
          scope: fc.record({ name: text, version: text }, { requiredKeys: [] }),
          logRecords: fc.array(logRecord, { maxLength: 4 }),
        }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 2 },
  ),
});

/** A request as a client may write it: compact or indented, a member name now and then escaped. */
const body = fc
  .tuple(request, fc.constantFrom(undefined, 1, '\t'), fc.boolean())
  .map(([value, indent, escape]) => {
    const json = JSON.stringify(value, null, indent);
    return escape
      ? json.replaceAll('"logRecords"', '"logRec\\u006frds"').replaceAll('"attributes"', '"\\u0061ttributes"')
      : json;
  });

const limits: fc.Arbitrary<DecodeLimits> = fc.record({
  maxRecordsPerRequest: fc.integer({ min: 1, max: 8 }),
  maxAttributesPerRecord: fc.integer({ min: 1, max: 5 }),
  maxAnyValueDepth: fc.integer({ min: 1, max: 4 }),
  maxDecodedBytes: fc.integer({ min: 500, max: 20_000 }),
});

/** The limit a scan refused the request with, or the text of each log record it found. */
function outcome(scan: () => { records: string[] }): { limit: string } | { records: string[] } {
  try {
    return scan();
  } catch (error) {
    if (error instanceof DecodeLimitError) return { limit: error.limit };
    throw error;
  }
}

describe('the byte scan of OTLP JSON requests', () => {
  it('refuses the requests the character scan refused, with the same limit, and finds the same records', () => {
    fc.assert(
      fc.property(body, limits, (json, limit) => {
        const bytes = Buffer.from(json, 'utf8');
        const expected = outcome(() => {
          const scanner = characterScanner(json, limit);
          scanner.scanTo(json.length);
          return { records: scanner.logRecords.map(([start, end]) => json.slice(start, end)) };
        });
        const actual = outcome(() => {
          const scanner = createJsonLogsScanner(bytes, limit);
          scanner.scanTo(bytes.length);
          return { records: scanner.logRecords.map(([start, end]) => bytes.toString('utf8', start, end)) };
        });
        expect(actual).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('counts the decoded size as the character scan did, to the exact limit', () => {
    const wide: DecodeLimits = {
      maxRecordsPerRequest: 1000,
      maxAttributesPerRecord: 1000,
      maxAnyValueDepth: 64,
      maxDecodedBytes: 0,
    };
    const passes = (scan: (limits: DecodeLimits) => void, maxDecodedBytes: number): boolean =>
      'records' in outcome(() => (scan({ ...wide, maxDecodedBytes }), { records: [] }));
    fc.assert(
      fc.property(body, (json) => {
        const bytes = Buffer.from(json, 'utf8');
        const byCharacters = (limit: DecodeLimits): void =>
          void characterScanner(json, limit).scanTo(json.length);
        const byBytes = (limit: DecodeLimits): void =>
          void createJsonLogsScanner(bytes, limit).scanTo(bytes.length);
        // The smallest maxDecodedBytes the character scan lets through.
        let low = 0;
        let high = 64 * 1024 * 1024;
        while (low < high) {
          const middle = Math.floor((low + high) / 2);
          if (passes(byCharacters, middle)) high = middle;
          else low = middle + 1;
        }
        expect(passes(byBytes, low)).toBe(true);
        expect(passes(byBytes, low - 1)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes a request within the limits into the records converting the whole parsed tree gives', async () => {
    const wide: DecodeLimits = {
      maxRecordsPerRequest: 1000,
      maxAttributesPerRecord: 1000,
      maxAnyValueDepth: 64,
      maxDecodedBytes: 64 * 1024 * 1024,
    };
    await fc.assert(
      fc.asyncProperty(body, async (json) => {
        const settle = async (decode: () => unknown): Promise<unknown> => {
          try {
            return { records: await decode() };
          } catch (error) {
            return { error: String(error) };
          }
        };
        const expected = await settle(() => otlpToAuditLogRecords(JSON.parse(json), 'json', RECEIVED));
        const actual = await settle(() => decodeJsonLogsBody(Buffer.from(json, 'utf8'), wide, RECEIVED));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
