// Every row of the mapping contract (docs/mapping.md), table-driven from the golden fixtures in
// test/fixtures/mapping/, run through the public pipeline prepareAuditEvents; plus one record produced by
// the real sdk-logs LoggerProvider, and records mapped one after another (none sees another's values).
// Filter/mapRecord/ids are covered in prepare-audit-events.test.ts.
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { prepareAuditEvents } from '../../../src/prepare-audit-events.js';
import { MAPPED_ATTRIBUTE_KEYS } from '../../../src/mapping/audit-attributes.js';
import { toEventData } from '../../../src/mapping/to-event-data.js';
import {
  buildRecord,
  CASE_EVENT_ID,
  DEFAULT_NOW,
  loadMappingCases,
  type MappingCase,
} from '../../fixtures/mapping/load-mapping-cases.js';

const cases = loadMappingCases();

/** What a case produces: the event's id and eventData, or the rejection's field and reason. */
function outcomeOf(c: MappingCase): unknown {
  const result = prepareAuditEvents([buildRecord(c.record)], c.options ?? {}, {
    now: () => Date.parse(c.now ?? DEFAULT_NOW),
    newId: () => CASE_EVENT_ID,
  });
  const event = result.events[0];
  if (event !== undefined) return { id: event.id, eventData: event.eventData };
  return result.rejections.map((error) => ({ ...error }));
}

function without(c: MappingCase, key: string): MappingCase {
  const drop = (attributes: Record<string, unknown> = {}): Record<string, unknown> =>
    Object.fromEntries(Object.entries(attributes).filter(([k]) => k !== key));
  return {
    ...c,
    record: { ...c.record, attributes: drop(c.record.attributes), resource: drop(c.record.resource) },
  };
}

describe('mapping contract (golden fixtures)', () => {
  it('reads every attribute it names: for each, some case comes out different without it', () => {
    const unread = MAPPED_ATTRIBUTE_KEYS.filter(
      (key) =>
        !cases.some(
          (c) =>
            (key in c.record.attributes || key in (c.record.resource ?? {})) &&
            JSON.stringify(outcomeOf(c)) !== JSON.stringify(outcomeOf(without(c, key))),
        ),
    );
    expect(unread).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.file}: ${c.description}`, c] as const))('%s', (_name, c) => {
    const result = prepareAuditEvents([buildRecord(c.record)], c.options ?? {}, {
      now: () => Date.parse(c.now ?? DEFAULT_NOW),
      newId: () => CASE_EVENT_ID,
    });
    expect(result.skipped).toBe(0);
    if (c.expectedError !== undefined) {
      expect(result.events).toEqual([]);
      expect(result.rejections).toHaveLength(1);
      const error = result.rejections[0];
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject(c.expectedError);
      return;
    }
    expect(result.rejections).toEqual([]);
    expect(result.events).toHaveLength(1);
    const event = result.events[0]!;
    expect(event.id).toBe(c.expectedId ?? CASE_EVENT_ID);
    // Compared as text: fields in schema order and map keys in their original order are part of the contract.
    expect(event.eventData).toBe(JSON.stringify(c.expected));
  });
});

describe('a record from the real OpenTelemetry SDK', () => {
  it('maps every field the SDK fills, including exception attributes and the span context', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({
        'service.name': 'checkout',
        'audit.user_identity.type': 'Customer',
      }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    provider.getLogger('audit-lib', '1.0.0').emit({
      eventName: 'order.refund',
      timestamp: new Date('2026-01-02T03:04:05.678Z'),
      severityText: 'WARN',
      body: 'refund denied',
      context: trace.setSpanContext(context.active(), spanContext),
      exception: new TypeError('amount too high'),
      attributes: {
        'user.id': 'cust-1',
        'client.address': '203.0.113.7',
        'audit.recipient_account_id': '123456789012',
        'audit.request_parameters': { orderId: 'o-1', amount: 120.5, receipt: new Uint8Array([255, 0]) },
      },
    });
    await provider.forceFlush();
    const records = exporter.getFinishedLogRecords();
    expect(records).toHaveLength(1);

    const result = prepareAuditEvents(records, {}, { now: () => 0, newId: () => 'sdk-evt' });
    expect(result.rejections).toEqual([]);
    expect(JSON.parse(result.events[0]!.eventData)).toEqual({
      version: '1.0',
      userIdentity: { type: 'Customer', principalId: 'cust-1' },
      eventSource: 'checkout',
      eventName: 'order.refund',
      eventTime: '2026-01-02T03:04:05Z',
      UID: 'sdk-evt',
      requestParameters: { orderId: 'o-1', amount: 120.5, receipt: '/wA=' },
      errorCode: 'TypeError',
      errorMessage: 'amount too high',
      sourceIPAddress: '203.0.113.7',
      recipientAccountId: '123456789012',
      additionalEventData: {
        body: 'refund denied',
        severityText: 'WARN',
        traceId: spanContext.traceId,
        spanId: spanContext.spanId,
        instrumentationScope: 'audit-lib',
      },
    });
    await provider.shutdown();
  });
});

describe('records mapped one after another', () => {
  const base = {
    hrTime: [1767323045, 0] as [number, number],
    hrTimeObserved: [1767323045, 0] as [number, number],
    instrumentationScope: { name: '' },
    resource: { attributes: { 'service.name': 'shop' } },
  };
  const full = {
    ...base,
    attributes: {
      'audit.user_identity.type': 'User',
      'audit.user_identity.principal_id': 'alice',
      'audit.recipient_account_id': '123456789012',
      'user_agent.original': 'curl/8',
      'client.address': '198.51.100.1',
      'audit.action': 'refund',
    },
  };
  const bare = { ...base, attributes: { 'audit.user_identity.principal_id': 'bob' } };

  it('never see the attributes of the record mapped before them', () => {
    const first = toEventData(full, 'e-1', {}, 0);
    expect(first).toMatchObject({ userAgent: 'curl/8', sourceIPAddress: '198.51.100.1' });
    const second = toEventData(bare, 'e-2', {}, 0);
    expect(JSON.parse(JSON.stringify(second))).toEqual({
      version: '1.0',
      userIdentity: { principalId: 'bob' },
      eventSource: 'shop',
      eventTime: '2026-01-02T03:04:05Z',
      UID: 'e-2',
    });
  });

  it('start clean after a record whose attribute getter threw part way through', () => {
    const throwing = {
      ...base,
      attributes: {
        'user_agent.original': 'curl/8',
        get 'client.address'(): string {
          throw new Error('unreadable');
        },
      },
    };
    expect(() => toEventData(throwing, 'e-1', {}, 0)).toThrow('unreadable');
    expect(toEventData(bare, 'e-2', {}, 0).userAgent).toBeUndefined();
  });

  it('map a record correctly while another record is mapped from inside one of its getters', () => {
    let inner: unknown;
    const outer = {
      ...base,
      attributes: {
        'audit.user_identity.principal_id': 'carol',
        get 'user_agent.original'(): string {
          inner = toEventData(full, 'e-inner', {}, 0);
          return 'outer-agent';
        },
        'client.address': '192.0.2.9',
      },
    };
    const mapped = toEventData(outer, 'e-outer', {}, 0);
    expect(mapped).toMatchObject({
      userIdentity: { principalId: 'carol' },
      userAgent: 'outer-agent',
      sourceIPAddress: '192.0.2.9',
    });
    expect(mapped.recipientAccountId).toBeUndefined();
    expect(inner).toMatchObject({
      userIdentity: { type: 'User', principalId: 'alice' },
      userAgent: 'curl/8',
      sourceIPAddress: '198.51.100.1',
      additionalEventData: { action: 'refund' },
    });
  });
});
