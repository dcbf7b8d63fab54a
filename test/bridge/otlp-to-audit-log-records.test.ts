// Covers the conversion of decoded OTLP requests (JSON encoding, and the protobuf decoder's output
// for bytes produced by otlp-transformer) into AuditLogRecords: times, ids, AnyValue kinds, severity.
// The HTTP side is covered in bridge-otlp-http.test.ts.
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { describe, expect, it } from 'vitest';
import { OtlpDecodeError } from '../../src/bridge/otlp-to-audit-log-records.js';
import { decodeProtobufLogsRequest, otlpToAuditLogRecords } from './fixtures/reflective-otlp-conversion.js';

const RECEIVED: [number, number] = [1_800_000_000, 0];
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

function jsonWith(record: Record<string, unknown>) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeLogs: [{ scope: { name: 'scope', version: '2.0' }, logRecords: [record] }],
      },
    ],
  };
}

describe('otlpToAuditLogRecords', () => {
  it('converts every AnyValue kind of the OTLP JSON encoding', () => {
    const [record] = otlpToAuditLogRecords(
      jsonWith({
        timeUnixNano: '1767323045678000001',
        observedTimeUnixNano: 1767323046000000000,
        severityNumber: 'SEVERITY_NUMBER_WARN',
        severityText: 'WARN',
        eventName: 'user.login',
        traceId: TRACE_ID.toUpperCase(),
        spanId: SPAN_ID,
        body: {
          kvlistValue: {
            values: [
              {
                key: 'a',
                value: {
                  arrayValue: { values: [{ intValue: '7' }, { doubleValue: 1.5 }, { boolValue: false }, {}] },
                },
              },
            ],
          },
        },
        attributes: [
          { key: 's', value: { stringValue: 'x' } },
          { key: 'big', value: { intValue: '9223372036854775807' } },
          { key: 'bytes', value: { bytesValue: 'AQID' } },
          { key: 'nan', value: { doubleValue: 'NaN' } },
        ],
      }),
      'json',
      RECEIVED,
    );
    expect(record).toMatchObject({
      hrTime: [1767323045, 678000001],
      hrTimeObserved: [1767323046, 0],
      severityNumber: 13,
      severityText: 'WARN',
      eventName: 'user.login',
      spanContext: { traceId: TRACE_ID, spanId: SPAN_ID },
      body: { a: [7, 1.5, false, null] },
      resource: { attributes: { 'service.name': 'svc' } },
      instrumentationScope: { name: 'scope', version: '2.0' },
    });
    expect(record!.attributes).toEqual({
      s: 'x',
      big: '9223372036854775807',
      bytes: new Uint8Array([1, 2, 3]),
      nan: 'NaN',
    });
  });

  it('falls back to the observed time, then the receive time, and drops all-zero ids', () => {
    const [observedOnly] = otlpToAuditLogRecords(
      jsonWith({ observedTimeUnixNano: '2000000000000000000' }),
      'json',
      RECEIVED,
    );
    expect(observedOnly!.hrTime).toEqual([2_000_000_000, 0]);
    const [none] = otlpToAuditLogRecords(
      jsonWith({ traceId: '0'.repeat(32), spanId: SPAN_ID }),
      'json',
      RECEIVED,
    );
    expect(none!.hrTime).toEqual(RECEIVED);
    expect(none!.hrTimeObserved).toEqual(RECEIVED);
    expect(none!.spanContext).toBeUndefined();
  });

  it('names the path and the value of a malformed field', () => {
    expect(() => otlpToAuditLogRecords(jsonWith({ severityNumber: 99 }), 'json', RECEIVED)).toThrow(
      OtlpDecodeError,
    );
    expect(() => otlpToAuditLogRecords(jsonWith({ attributes: [{ key: 1 }] }), 'json', RECEIVED)).toThrow(
      /resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.attributes\[0\]\.key: expected a string, got 1 \(number\)/,
    );
    const nested = [
      { key: 'a', value: { kvlistValue: { values: [{ key: 'b', value: { intValue: 'x' } }] } } },
    ];
    expect(() => otlpToAuditLogRecords(jsonWith({ attributes: nested }), 'json', RECEIVED)).toThrow(
      /logRecords\[0\]\.attributes\[0\]\.value\.kvlistValue\.values\[0\]\.value\.intValue: expected an int64, got "x"/,
    );
    expect(() => otlpToAuditLogRecords({ resourceLogs: {} }, 'json', RECEIVED)).toThrow(
      /resourceLogs: expected an array/,
    );
  });

  it('refuses AnyValue nesting deeper than 256 levels', () => {
    let value: Record<string, unknown> = { stringValue: 'leaf' };
    for (let i = 0; i < 260; i++) value = { arrayValue: { values: [value] } };
    expect(() => otlpToAuditLogRecords(jsonWith({ body: value }), 'json', RECEIVED)).toThrow(
      /nested deeper than 256/,
    );
  });

  it('reads back what the OTel SDK serialises to protobuf, field for field', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'proto-svc' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const ctx = trace.setSpanContext(context.active(), {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
    });
    provider.getLogger('lib', '1.2.3').emit({
      context: ctx,
      timestamp: new Date('2026-01-02T03:04:05.678Z'),
      severityNumber: 9,
      severityText: 'INFO',
      eventName: 'evt',
      body: { nested: { list: [1, 'two', true, 2.5] } },
      attributes: { 'audit.event_name': 'E', n: 42, neg: -5, raw: new Uint8Array([9, 8]), empty: '' },
    });
    const bytes = ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!;
    await provider.shutdown();
    const [record] = otlpToAuditLogRecords(decodeProtobufLogsRequest(bytes), 'protobuf', RECEIVED);
    expect(record).toMatchObject({
      hrTime: [1767323045, 678000000],
      severityNumber: 9,
      severityText: 'INFO',
      eventName: 'evt',
      spanContext: { traceId: TRACE_ID, spanId: SPAN_ID },
      body: { nested: { list: [1, 'two', true, 2.5] } },
      resource: { attributes: { 'service.name': 'proto-svc' } },
      instrumentationScope: { name: 'lib', version: '1.2.3' },
    });
    expect(record!.attributes).toEqual({
      'audit.event_name': 'E',
      n: 42,
      neg: -5,
      raw: new Uint8Array([9, 8]),
      empty: '',
    });
  });
});
