// Covers how a request body is decoded: in slices with turns of the event loop between them, one request
// at a time, piece by piece (each record parsed from its own bytes) with the same result as decoding
// the whole body, and into records that keep nothing of the body's buffer (the bridge reuses it). Limits at their boundaries: bridge-limits.test.ts; conversion: otlp-to-audit-log-records.test.ts.
import { fromJson, toBinary, type JsonValue } from '@bufbuild/protobuf';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { decodeLogsBody } from '../../src/bridge/decode-logs-request.js';
import { DecodeLimitError, type DecodeLimits } from '../../src/bridge/decode-limits.js';
import { ResourceLogsSchema } from '../../src/bridge/otlp/generated/opentelemetry/proto/logs/v1/logs_pb.js';
import { OtlpDecodeError } from '../../src/bridge/otlp-to-audit-log-records.js';
import { DEFAULTS } from '../../src/defaults.js';

const LIMITS: DecodeLimits = {
  maxRecordsPerRequest: DEFAULTS.bridgeMaxRecordsPerRequest,
  maxAttributesPerRecord: DEFAULTS.bridgeMaxAttributesPerRecord,
  maxAnyValueDepth: DEFAULTS.bridgeMaxAnyValueDepth,
  maxDecodedBytes: DEFAULTS.bridgeMaxDecodedBytes,
};

/** `count` records of ten attributes each, serialised by the OTel SDK's own serializers. */
async function bodies(count: number): Promise<{ protobuf: Buffer; json: Buffer }> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('decode', '1.0.0');
  for (let i = 0; i < count; i++) {
    logger.emit({
      body: `record ${i}`,
      attributes: Object.fromEntries(Array.from({ length: 10 }, (_, a) => [`attr.${a}`, `value-${i}-${a}`])),
    });
  }
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  return {
    protobuf: Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!),
    json: Buffer.from(JsonLogsSerializer.serializeRequest(records)!),
  };
}

/** Counts the turns of the event loop (setImmediate callbacks) until stopped. */
function turnCounter(): { stop(): number } {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}

const jsonBody = (text: string): Buffer => Buffer.from(text, 'utf8');
const inScope = (logRecords: string): string =>
  `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeLogs":[{"scope":{"name":"s"},${logRecords}}]}]}`;

describe('decodeLogsBody', () => {
  for (const encoding of ['protobuf', 'json'] as const) {
    it(`gives the event loop many turns while one large ${encoding} request is decoded`, async () => {
      const body = (await bodies(4_000))[encoding];
      const counter = turnCounter();
      const records = await decodeLogsBody(body, encoding, LIMITS);
      const turns = counter.stop();
      expect(records).toHaveLength(4_000);
      expect(records[3_999]).toMatchObject({ body: 'record 3999', attributes: { 'attr.9': 'value-3999-9' } });
      // Decoded in one step, or converted in one, the request would leave a handful of turns.
      expect(turns).toBeGreaterThanOrEqual(20);
    });
  }

  it('decodes one request at a time: a small request sent while a large one decodes is answered after it', async () => {
    const large = (await bodies(2_000)).protobuf;
    const small = (await bodies(1)).protobuf;
    const finished: string[] = [];
    await Promise.all([
      decodeLogsBody(large, 'protobuf', LIMITS).then(() => finished.push('large')),
      decodeLogsBody(small, 'protobuf', LIMITS).then(() => finished.push('small')),
    ]);
    expect(finished).toEqual(['large', 'small']);
  });

  it('reads JSON records one by one as JSON.parse reads the whole: a repeated member keeps the last', async () => {
    const records = await decodeLogsBody(
      jsonBody(
        inScope('"logRecords":[{"eventName":"a"}],"logRecords":[{"eventName":"b"},{"eventName":"c"}]'),
      ),
      'json',
      LIMITS,
    );
    expect(records.map((r) => r.eventName)).toEqual(['b', 'c']);
    expect(records[0]!.resource.attributes).toEqual({ 'service.name': 'svc' });
  });

  it('keeps a JSON `__proto__` attribute key as an attribute, never as the prototype', async () => {
    const smuggled = '{"kvlistValue":{"values":[{"key":"password","value":{"stringValue":"hunter2"}}]}}';
    const [record] = await decodeLogsBody(
      jsonBody(inScope(`"logRecords":[{"attributes":[{"key":"__proto__","value":${smuggled}}]}]`)),
      'json',
      LIMITS,
    );
    expect(Object.getPrototypeOf(record!.attributes)).toBe(Object.prototype);
    expect(Object.keys(record!.attributes)).toEqual(['__proto__']);
    expect(record!.attributes['password']).toBeUndefined();
  });

  it('counts records under an escaped member name against maxRecordsPerRequest', async () => {
    const body = jsonBody(inScope('"logRec\\u006frds":[{},{},{},{}]'));
    expect(JSON.parse(body.toString()).resourceLogs[0].scopeLogs[0].logRecords).toHaveLength(4);
    const error = await decodeLogsBody(body, 'json', { ...LIMITS, maxRecordsPerRequest: 3 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecodeLimitError);
    expect((error as DecodeLimitError).limit).toBe('maxRecordsPerRequest');
  });

  it.each([
    ['malformed between records', `${inScope('"logRecords":[{}]').slice(0, -1)} x}`, /malformed json/],
    ['malformed inside a record', inScope('"logRecords":[{"eventName": }]'), /malformed json/],
    ['a record that is not an object', inScope('"logRecords":[5]'), /logRecords\[0\]: expected an object/],
    ['with a vertical tab between tokens', inScope('"logRecords":\u000b[{}]'), /malformed json/],
    ['opening with a byte order mark', `\ufeff${inScope('"logRecords":[{}]')}`, /malformed json/],
  ])('refuses JSON %s with OtlpDecodeError', async (_, text, message) => {
    const error = await decodeLogsBody(jsonBody(text), 'json', LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OtlpDecodeError);
    expect((error as Error).message).toMatch(message);
  });

  for (const encoding of ['protobuf', 'json'] as const) {
    it(`decodes ${encoding} into records that hold no view of the body, so its buffer can be used again`, async () => {
      const exporter = new InMemoryLogRecordExporter();
      const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
      const span = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
      provider.getLogger('views', '1.0.0').emit({
        body: { text: 'kept', raw: new Uint8Array([1, 2, 3]) },
        attributes: { 'audit.event_name': 'e', bytes: new Uint8Array([4, 5, 6]), list: ['a', 'b'] },
        context: trace.setSpanContext(context.active(), span),
      });
      await provider.forceFlush();
      const records = exporter.getFinishedLogRecords();
      const serializer = encoding === 'protobuf' ? ProtobufLogsSerializer : JsonLogsSerializer;
      const body = Buffer.from(serializer.serializeRequest(records)!);
      const decoded = await decodeLogsBody(body, encoding, LIMITS);
      const before = structuredClone(decoded);
      expect(decoded[0]!.spanContext?.traceId).toBe(span.traceId);
      body.fill(0x20);
      expect(decoded).toEqual(before);
    });
  }

  it('merges a protobuf resource sent twice in one ResourceLogs, as protobuf decoding does', async () => {
    const part = (json: JsonValue): Uint8Array =>
      toBinary(ResourceLogsSchema, fromJson(ResourceLogsSchema, json));
    const resourceLogs = Buffer.concat([
      part({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeLogs: [{ scope: { name: 's' }, logRecords: [{ eventName: 'e' }] }],
      }),
      part({ resource: { attributes: [{ key: 'host.name', value: { stringValue: 'h' } }] } }),
    ]);
    const body = new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(resourceLogs).finish();
    const [record, ...rest] = await decodeLogsBody(Buffer.from(body), 'protobuf', LIMITS);
    expect(rest).toEqual([]);
    expect(record!.eventName).toBe('e');
    expect(record!.resource.attributes).toEqual({ 'service.name': 'svc', 'host.name': 'h' });
  });

  it('refuses protobuf the limit scan lets through but the generated decoder cannot read, with OtlpDecodeError', async () => {
    // A LogRecord whose severity_text (field 3) is not UTF-8: well-formed wire bytes, an invalid proto3 string.
    const logRecord = new BinaryWriter()
      .tag(3, WireType.LengthDelimited)
      .bytes(new Uint8Array([0xff, 0xfe]))
      .finish();
    const scopeLogs = new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(logRecord).finish();
    const resourceLogs = new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(scopeLogs).finish();
    const body = new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(resourceLogs).finish();
    const error = await decodeLogsBody(Buffer.from(body), 'protobuf', LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OtlpDecodeError);
    expect((error as Error).message).toMatch(/malformed protobuf body: .*utf-8/);
  });
});
