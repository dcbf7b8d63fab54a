// Covers the bridge's own protobuf field readers against the generated reflective decoder plus the
// conversion they replace: records serialised by the OTel SDK, hand-built messages (unknown fields,
// messages sent twice, int64 beyond 2^53), and malformed bytes. Limits: bridge-limits.test.ts.
import { create, fromJson, toBinary, type JsonValue } from '@bufbuild/protobuf';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import type { DecodeLimits } from '../../src/bridge/decode-limits.js';
import { decodeProtobufLogsBody } from '../../src/bridge/otlp/decode-protobuf-logs-body.js';
import {
  AnyValueSchema,
  EntityRefSchema,
  KeyValueSchema,
} from '../../src/bridge/otlp/generated/opentelemetry/proto/common/v1/common_pb.js';
import { LogRecordSchema } from '../../src/bridge/otlp/generated/opentelemetry/proto/logs/v1/logs_pb.js';
import { ResourceSchema } from '../../src/bridge/otlp/generated/opentelemetry/proto/resource/v1/resource_pb.js';
import { readProtobufLogRecord } from '../../src/bridge/otlp/read-protobuf-log-record.js';
import { OtlpDecodeError } from '../../src/bridge/otlp-to-audit-log-records.js';
import { decodeProtobufLogsRequest, otlpToAuditLogRecords } from './fixtures/reflective-otlp-conversion.js';
import { DEFAULTS } from '../../src/defaults.js';

const RECEIVED: [number, number] = [1_800_000_000, 0];
const LIMITS: DecodeLimits = {
  maxRecordsPerRequest: DEFAULTS.bridgeMaxRecordsPerRequest,
  maxAttributesPerRecord: DEFAULTS.bridgeMaxAttributesPerRecord,
  maxAnyValueDepth: DEFAULTS.bridgeMaxAnyValueDepth,
  maxDecodedBytes: DEFAULTS.bridgeMaxDecodedBytes,
};
const RECORD_PATH = 'resourceLogs[0].scopeLogs[0].logRecords[0]';

const LD = WireType.LengthDelimited;
/** One length-delimited field. */
const field = (number: number, bytes: Uint8Array): Uint8Array =>
  new BinaryWriter().tag(number, LD).bytes(bytes).finish();
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** A request of one ResourceLogs and one ScopeLogs around `records`, with each resource and scope given. */
function request(records: Uint8Array[], resources: Uint8Array[] = [], scopes: Uint8Array[] = []): Uint8Array {
  const scopeLogs = concat(...scopes.map((s) => field(1, s)), ...records.map((r) => field(2, r)));
  return field(1, concat(...resources.map((r) => field(1, r)), field(2, scopeLogs)));
}

const logRecord = (json: JsonValue): Uint8Array => toBinary(LogRecordSchema, fromJson(LogRecordSchema, json));
const anyValue = (json: JsonValue): Uint8Array => toBinary(AnyValueSchema, fromJson(AnyValueSchema, json));
const keyValue = (json: JsonValue): Uint8Array => toBinary(KeyValueSchema, fromJson(KeyValueSchema, json));

/** Fields no OTLP message defines, of every wire type: skipped wherever they appear. */
const UNKNOWN_FIELDS = new BinaryWriter()
  .tag(99, WireType.Varint)
  .uint64(2n ** 63n)
  .tag(100, LD)
  .string('ignored')
  .tag(101, WireType.Bit32)
  .fixed32(7)
  .tag(102, WireType.Bit64)
  .fixed64(8n)
  .finish();

/** Decodes with the bridge's readers and with the generated decoder plus conversion; both must agree. */
async function decodeBoth(body: Uint8Array): Promise<unknown[]> {
  const expected = otlpToAuditLogRecords(decodeProtobufLogsRequest(body), 'protobuf', RECEIVED);
  const actual = await decodeProtobufLogsBody(Buffer.from(body), LIMITS, RECEIVED);
  expect(actual).toStrictEqual(expected);
  return actual;
}

async function decodeError(body: Uint8Array, limits = LIMITS): Promise<OtlpDecodeError> {
  const error = await decodeProtobufLogsBody(Buffer.from(body), limits, RECEIVED).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OtlpDecodeError);
  return error as OtlpDecodeError;
}

/** The record's own reader, without the limit scan in front of it. */
function readAlone(bytes: Uint8Array): unknown {
  const entry = {
    scopePath: 'resourceLogs[0].scopeLogs[0]',
    index: 0,
    resource: { attributes: {} },
    scope: { name: '' },
  };
  return readProtobufLogRecord(new BinaryReader(bytes), [0, bytes.length], entry, RECEIVED);
}

describe('readProtobufLogRecord', () => {
  it('reads what the OTel SDK serialises exactly as the generated decoder and conversion do', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'proto-svc', 'host.id': 7 }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const ctx = trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    const logger = provider.getLogger('lib', '1.2.3');
    logger.emit({
      context: ctx,
      timestamp: new Date('2026-01-02T03:04:05.678Z'),
      severityNumber: 9,
      severityText: 'INFO',
      eventName: 'evt',
      body: { nested: { list: [1, 'two', true, 2.5, new Uint8Array([1]), [], {}] } },
      attributes: {
        text: 'héllo ✓',
        empty: '',
        yes: true,
        no: false,
        n: 42,
        zero: 0,
        neg: -5,
        big: Number.MAX_SAFE_INTEGER,
        d: 2.5,
        raw: new Uint8Array([9, 8, 0]),
        noBytes: new Uint8Array(0),
        list: ['a', 1, [2, [3]]],
        map: { inner: { deeper: { x: 'y' } }, arr: [{ k: 'v' }] },
        emptyList: [],
        emptyMap: {},
      },
    });
    logger.emit({ body: 'second, without times or ids' });
    logger.emit({ severityNumber: 24, body: -1.5 });
    const body = ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!;
    await provider.shutdown();
    const records = await decodeBoth(body);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      severityNumber: 9,
      spanContext: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' },
      attributes: { neg: -5, raw: new Uint8Array([9, 8, 0]), map: { inner: { deeper: { x: 'y' } } } },
      resource: { attributes: { 'service.name': 'proto-svc', 'host.id': 7 } },
      instrumentationScope: { name: 'lib', version: '1.2.3' },
    });
  });

  it('keeps an int64 beyond 2^53 exact as its decimal string, and the smallest int64', async () => {
    const record = logRecord({
      attributes: [
        { key: 'above', value: { intValue: '9007199254740993' } },
        { key: 'min', value: { intValue: '-9223372036854775808' } },
        { key: 'max', value: { intValue: '9223372036854775807' } },
        { key: 'safe', value: { intValue: '-9007199254740991' } },
      ],
      timeUnixNano: '18446744073709551615',
    });
    const [decoded] = await decodeBoth(request([record]));
    expect(decoded).toMatchObject({
      attributes: {
        above: '9007199254740993',
        min: '-9223372036854775808',
        max: '9223372036854775807',
        safe: -9007199254740991,
      },
      hrTime: [18446744073, 709551615],
    });
  });

  it('gives empty values their proto3 defaults', async () => {
    const record = concat(
      field(5, new Uint8Array(0)), // a body with no value set
      field(6, new Uint8Array(0)), // a KeyValue with neither key nor value
      field(6, keyValue({ key: 'unset', value: {} })),
      logRecord({ traceId: 'AAAAAAAAAAAAAAAAAAAAAA==', spanId: 'AQID' }), // all-zero trace id, short span id
    );
    const [decoded] = await decodeBoth(request([record, new Uint8Array(0)]));
    expect(decoded).toMatchObject({
      body: undefined,
      attributes: { '': null, unset: null },
      spanContext: undefined,
    });
  });

  it('skips unknown fields of every wire type in every message', async () => {
    const value = concat(
      anyValue({ kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } }),
      UNKNOWN_FIELDS,
    );
    const kv = concat(UNKNOWN_FIELDS, keyValue({ key: 'a' }), field(2, value), UNKNOWN_FIELDS);
    const record = concat(UNKNOWN_FIELDS, logRecord({ eventName: 'e' }), field(6, kv), UNKNOWN_FIELDS);
    const resource = concat(
      UNKNOWN_FIELDS,
      field(1, keyValue({ key: 'r', value: { boolValue: true } })),
      UNKNOWN_FIELDS,
    );
    const scope = concat(UNKNOWN_FIELDS, new BinaryWriter().tag(1, LD).string('s').finish(), UNKNOWN_FIELDS);
    const [decoded] = await decodeBoth(request([record], [resource], [scope]));
    expect(decoded).toMatchObject({
      eventName: 'e',
      attributes: { a: { k: 'v' } },
      resource: { attributes: { r: true } },
      instrumentationScope: { name: 's' },
    });
  });

  it('merges a message sent twice and lets the last scalar win, as protobuf decoding does', async () => {
    const record = concat(
      logRecord({ severityText: 'first', traceId: 'CvdlGRbNQ92ESOshHIAxnA==', spanId: 't61rcWkgMzE=' }),
      logRecord({ severityText: 'last', traceId: 'AAE=' }), // a later trace id of the wrong length unsets it
      // body: a kvlist, then another kvlist merged into it (a key repeated: the later value wins)
      field(
        5,
        anyValue({
          kvlistValue: {
            values: [
              { key: 'a', value: { intValue: '1' } },
              { key: 'b', value: { stringValue: 'x' } },
            ],
          },
        }),
      ),
      field(
        5,
        anyValue({
          kvlistValue: { values: [{ key: 'a', value: { arrayValue: { values: [{ boolValue: true }] } } }] },
        }),
      ),
      // an attribute whose value is an array sent twice (appended), then one whose kind changes
      field(
        6,
        concat(
          keyValue({ key: 'list', value: { arrayValue: { values: [{ intValue: '1' }] } } }),
          field(2, anyValue({ arrayValue: { values: [{ intValue: '2' }] } })),
        ),
      ),
      field(
        6,
        concat(
          keyValue({ key: 'kind', value: { stringValue: 's' } }),
          field(2, anyValue({ doubleValue: 1.5 })),
        ),
      ),
      field(
        6,
        concat(
          keyValue({ key: 'list2', value: { kvlistValue: {} } }),
          field(2, anyValue({ arrayValue: {} })),
          field(2, new Uint8Array(0)),
        ),
      ),
    );
    const scopes = [
      new BinaryWriter().tag(1, LD).string('name').finish(),
      new BinaryWriter().tag(2, LD).string('2.0').finish(),
    ];
    const [decoded] = await decodeBoth(request([record], [], scopes));
    expect(decoded).toMatchObject({
      severityText: 'last',
      spanContext: undefined,
      body: { a: [true], b: 'x' },
      attributes: { list: [1, 2], kind: 1.5, list2: [] },
      instrumentationScope: { name: 'name', version: '2.0' },
    });
  });

  it('copies bytes values rather than pointing into the request body, which may be reused', async () => {
    const body = Buffer.from(
      request([logRecord({ attributes: [{ key: 'raw', value: { bytesValue: 'AQID' } }] })]),
    );
    const [decoded] = await decodeProtobufLogsBody(body, LIMITS, RECEIVED);
    body.fill(0);
    expect(decoded!.attributes['raw']).toStrictEqual(new Uint8Array([1, 2, 3]));
  });

  it('keeps a `__proto__` key as an attribute, in records, maps and resources, never as a prototype', async () => {
    const smuggled = { kvlistValue: { values: [{ key: 'password', value: { stringValue: 'hunter2' } }] } };
    const body = request(
      [
        logRecord({
          attributes: [
            { key: '__proto__', value: smuggled },
            { key: 'nested', value: { kvlistValue: { values: [{ key: '__proto__', value: smuggled }] } } },
          ],
        }),
      ],
      [
        toBinary(
          ResourceSchema,
          fromJson(ResourceSchema, { attributes: [{ key: '__proto__', value: smuggled }] }),
        ),
      ],
    );
    const [decoded] = await decodeBoth(body);
    const { attributes, resource } = decoded as {
      attributes: Record<string, unknown>;
      resource: { attributes: object };
    };
    const nested = attributes['nested'] as Record<string, unknown>;
    for (const object of [attributes, nested, resource.attributes]) {
      expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
      expect(Object.keys(object)).toContain('__proto__');
      expect((object as Record<string, unknown>)['password']).toBeUndefined();
    }
  });

  it('reads a string_value_strindex or key_strindex, meant for the Profiling signal, as absent', async () => {
    const strindex = new BinaryWriter().tag(8, WireType.Varint).int32(3).finish();
    const keyStrindex = new BinaryWriter().tag(3, WireType.Varint).int32(4).finish();
    const record = concat(field(6, concat(keyValue({ key: 'k' }), field(2, strindex), keyStrindex)));
    const [decoded] = await decodeProtobufLogsBody(Buffer.from(request([record])), LIMITS, RECEIVED);
    expect(decoded!.attributes).toStrictEqual({ k: null });
  });

  it('checks a resource entity reference it does not keep', async () => {
    const entityRef = toBinary(
      EntityRefSchema,
      create(EntityRefSchema, { type: 'service', idKeys: ['service.name'] }),
    );
    const resource = concat(
      field(1, keyValue({ key: 'service.name', value: { stringValue: 'svc' } })),
      field(3, entityRef),
    );
    await decodeBoth(request([logRecord({})], [resource]));
    const badRef = field(
      3,
      new BinaryWriter()
        .tag(2, LD)
        .bytes(new Uint8Array([0xff]))
        .finish(),
    );
    const error = await decodeError(request([logRecord({})], [badRef]));
    expect(error.message).toMatch(
      /^malformed protobuf body: resourceLogs\[0\]\.resource\.entityRefs\[0\]: .*utf-8/,
    );
  });

  it("reads AnyValue nesting as deep as maxAnyValueDepth allows, beyond the generated decoder's recursion limit", async () => {
    let value = anyValue({ stringValue: 'leaf' });
    for (let level = 0; level < 60; level++)
      value = field(6, field(1, concat(keyValue({ key: 'k' }), field(2, value))));
    const [decoded] = await decodeProtobufLogsBody(
      Buffer.from(request([field(5, value)])),
      { ...LIMITS, maxAnyValueDepth: 64 },
      RECEIVED,
    );
    let body = decoded!.body;
    for (let level = 0; level < 60; level++) body = (body as Record<string, unknown>)['k'];
    expect(body).toBe('leaf');
  });
});

describe('readProtobufLogRecord on malformed bytes', () => {
  it('names the field of a severity number out of range, as the conversion does', async () => {
    const body = request([logRecord({}), logRecord({ severityNumber: 99 as never })]);
    const error = await decodeError(body);
    expect(() => otlpToAuditLogRecords(decodeProtobufLogsRequest(body), 'protobuf', RECEIVED)).toThrow(
      error.message,
    );
    expect(error.message).toBe(
      'resourceLogs[0].scopeLogs[0].logRecords[1].severityNumber: expected a severity number from 0 to 24, got 99 (number)',
    );
  });

  it('names the field holding a string that is not UTF-8, however deep', async () => {
    const badKey = new BinaryWriter()
      .tag(1, LD)
      .bytes(new Uint8Array([0x61, 0xc3]))
      .finish();
    const map = field(6, field(1, concat(badKey, field(2, anyValue({ boolValue: true })))));
    const record = concat(
      field(6, keyValue({ key: 'fine' })),
      field(6, concat(keyValue({ key: 'm' }), field(2, map))),
    );
    const error = await decodeError(request([record]));
    expect(error.message).toMatch(
      /^malformed protobuf body: resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.attributes\[1\]\.value\.kvlistValue\.values\[0\]\.key: .*utf-8/,
    );
  });

  it.each([
    ['a truncated varint', new Uint8Array([0x10, 0x80]), `${RECORD_PATH}.severityNumber: premature EOF`],
    ['a truncated tag', new Uint8Array([0x80]), `${RECORD_PATH}: premature EOF`],
    [
      'a length past the end',
      new Uint8Array([0x1a, 0x05, 0x61]),
      `${RECORD_PATH}.severityText: premature EOF`,
    ],
    [
      'a fixed64 cut short',
      new Uint8Array([0x09, 0x01, 0x02]),
      `${RECORD_PATH}.timeUnixNano: Offset is outside the bounds`,
    ],
    [
      'a string as a varint',
      new Uint8Array([0x18, 0x05]),
      `${RECORD_PATH}.severityText: wire type 0, expected 2 (length-delimited)`,
    ],
    [
      'a body as a fixed32',
      new Uint8Array([0x2d, 1, 2, 3, 4]),
      `${RECORD_PATH}.body: wire type 5, expected 2 (length-delimited)`,
    ],
    [
      'an int64 as a string',
      concat(field(5, field(3, new Uint8Array([1])))),
      `${RECORD_PATH}.body.intValue: wire type 2, expected 0 (varint)`,
    ],
    ['field number 0', new Uint8Array([0x00, 0x01]), `${RECORD_PATH}: illegal tag: field no 0 wire type 0`],
    ['wire type 7', new Uint8Array([0x0f]), `${RECORD_PATH}: illegal tag: field no 1 wire type 7`],
  ])('refuses %s with OtlpDecodeError naming the field', (_name, bytes, message) => {
    expect(() => readAlone(bytes)).toThrow(OtlpDecodeError);
    expect(() => readAlone(bytes)).toThrow(`malformed protobuf body: ${message}`);
  });

  it('refuses a field whose length runs past the end of its own message into the next bytes', () => {
    // An AnyValue of 2 bytes whose string claims 3: the third byte is the next field's.
    const record = concat(new Uint8Array([0x2a, 0x02, 0x0a, 0x03, 0x61]), field(3, new Uint8Array([0x62])));
    expect(() => readAlone(record)).toThrow(
      `malformed protobuf body: ${RECORD_PATH}.body.stringValue: field past the end of its message`,
    );
    const kv = new Uint8Array([0x32, 0x03, 0x12, 0x05, 0x0a, 0x61, 0x62]);
    expect(() => readAlone(kv)).toThrow(
      `malformed protobuf body: ${RECORD_PATH}.attributes[0].value: length 5 past the end of its message`,
    );
  });

  it('refuses through the whole decoder too, what the limit scan lets through', async () => {
    const error = await decodeError(request([new Uint8Array([0x18, 0x05])]));
    expect(error.message).toBe(
      `malformed protobuf body: ${RECORD_PATH}.severityText: wire type 0, expected 2 (length-delimited)`,
    );
  });
});
