// Covers the bridge end to end: the real OTLP exporters (JSON and protobuf, gzip or not) send to the
// bridge, which exports to the emulator; plus every HTTP status the bridge answers with, backpressure
// and its retry. OTLP decoding details: otlp-to-audit-log-records.test.ts; SIGTERM: bridge-cli.test.ts.
import { gzipSync } from 'node:zlib';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProcessorSink, startBridge } from '../../src/bridge/index.js';
import { DEFAULTS } from '../../src/defaults.js';
import { ConfigError } from '../../src/errors.js';
import { REDACTED_VALUE } from '../../src/limits.js';
import {
  TEST_CREDENTIALS,
  auditRecord,
  jsonRequest,
  otlpClient,
  post,
  startHarness,
  text,
  type Harness,
} from './bridge-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each(['json', 'protobuf'] as const)('the bridge with the OTel %s OTLP exporter', (protocol) => {
  it.each(['none', 'gzip'] as const)(
    'exports audit records mapped and redacted, and skips the others (compression %s)',
    async (compression) => {
      harness = await startHarness();
      const { provider, logger } = otlpClient(harness.bridge.logsUrl, protocol, { compression });
      logger.emit({
        eventName: 'user.login',
        body: { message: 'login', password: 'hunter2' },
        attributes: {
          'audit.event_name': 'Login',
          'user.id': 'alice',
          'audit.recipient_account_id': '123456789012',
          'audit.request_parameters': { user: 'alice', credentials: { key: 'k' }, list: [{ api_key: 'x' }] },
          'http.request.header.authorization': 'Bearer abc',
          'client.address': '203.0.113.7',
        },
      });
      logger.emit({ body: 'not an audit record', attributes: { 'user.id': 'bob' } });
      await provider.shutdown();
      await harness.bridge.drain();
      const events = harness.emulator.events();
      expect(events).toHaveLength(1);
      const data = events[0]!.eventData;
      expect(data['eventName']).toBe('Login');
      expect(data['eventSource']).toBe('bridge-test');
      expect(data['userIdentity']).toEqual({ type: 'Customer', principalId: 'alice' });
      expect(data['sourceIPAddress']).toBe('203.0.113.7');
      expect(data['requestParameters']).toEqual({
        user: 'alice',
        credentials: REDACTED_VALUE,
        list: [{ api_key: REDACTED_VALUE }],
      });
      expect(JSON.stringify(data)).not.toContain('hunter2');
      expect(JSON.stringify(data)).not.toContain('Bearer abc');
      expect(harness.bridge.counters).toMatchObject({
        receivedRecords: 2,
        acceptedRecords: 1,
        skippedRecords: 1,
        rejectedRecords: 0,
      });
    },
  );
});

describe('the bridge over raw HTTP', () => {
  it('answers a JSON request with partialSuccess warning about skipped records', async () => {
    harness = await startHarness();
    const body = JSON.stringify(jsonRequest([auditRecord('A'), { body: { stringValue: 'plain' } }]));
    const response = await post(harness.bridge.logsUrl, body, {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const parsed = JSON.parse(text(response.bytes));
    expect(Number(parsed.partialSuccess.rejectedLogRecords)).toBe(0);
    expect(parsed.partialSuccess.errorMessage).toMatch(/1 log record\(s\) carried no audit\.\* attribute/);
  });

  it('counts records whose filter throws as rejected in a protobuf partialSuccess', async () => {
    harness = await startHarness({
      filter: (record) => {
        if (record.attributes['audit.event_name'] === 'Bad') throw new Error('no bad events');
        return true;
      },
    });
    // The SDK client only logs partial success, so build the request with otlp-transformer (the
    // serializer the OTLP protobuf exporter uses) and decode the answer with it too.
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    provider.getLogger('x').emit({ attributes: { 'audit.event_name': 'Bad' } });
    provider.getLogger('x').emit({
      attributes: {
        'audit.event_name': 'Good',
        'audit.event_source': 'svc',
        'audit.user_identity.type': 'Customer',
        'user.id': 'alice',
      },
    });
    const serialized = ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!;
    await provider.shutdown();
    const response = await post(harness.bridge.logsUrl, serialized, {
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = ProtobufLogsSerializer.deserializeResponse(response.bytes);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/filter threw: no bad events/);
    expect(Number(decoded.partialSuccess?.rejectedLogRecords)).toBe(1);
  });

  it('rejects records that break the event schema in partialSuccess and exports the valid ones', async () => {
    harness = await startHarness();
    const invalid = { attributes: [{ key: 'audit.event_name', value: { stringValue: 'NoPrincipal' } }] };
    const body = JSON.stringify(jsonRequest([auditRecord('Valid'), invalid]));
    const response = await post(harness.bridge.logsUrl, body, { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const parsed = JSON.parse(text(response.bytes));
    expect(Number(parsed.partialSuccess.rejectedLogRecords)).toBe(1);
    expect(parsed.partialSuccess.errorMessage).toMatch(/NoPrincipal|is required but missing/);
    await harness.bridge.drain();
    expect(harness.emulator.events().map((e) => e.eventData['eventName'])).toEqual(['Valid']);
    expect(harness.bridge.counters).toMatchObject({ acceptedRecords: 1, rejectedRecords: 1 });
  });

  it.each([
    ['malformed JSON', '{"resourceLogs": [', 'application/json', /malformed json body/],
    [
      'a wrongly typed field',
      JSON.stringify(jsonRequest([{ timeUnixNano: 'yesterday' }])),
      'application/json',
      /logRecords\[0\]\.timeUnixNano.*yesterday/,
    ],
    [
      'a non-object AnyValue',
      JSON.stringify(jsonRequest([{ body: 'raw' }])),
      'application/json',
      /body: expected an AnyValue object/,
    ],
    [
      'malformed protobuf',
      new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]),
      'application/x-protobuf',
      /malformed protobuf body/,
    ],
  ])('answers 400 with a clear message for %s', async (_name, body, contentType, message) => {
    harness = await startHarness();
    const response = await post(harness.bridge.logsUrl, body, { 'content-type': contentType });
    expect(response.status).toBe(400);
    const status = contentType === 'application/json' ? JSON.parse(text(response.bytes)) : undefined;
    expect(status?.message ?? text(response.bytes)).toMatch(message);
  });

  it('answers 415 for other content types and content encodings', async () => {
    harness = await startHarness();
    expect((await post(harness.bridge.logsUrl, 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect(
      (
        await post(harness.bridge.logsUrl, '{}', {
          'content-type': 'application/json',
          'content-encoding': 'br',
        })
      ).status,
    ).toBe(415);
  });

  it('answers 413 above maxBodyBytes, raw or once gunzipped, and accepts exactly the limit', async () => {
    const body = JSON.stringify(jsonRequest([auditRecord('A')]));
    const size = Buffer.byteLength(body);
    harness = await startHarness({ maxBodyBytes: size });
    const headers = { 'content-type': 'application/json' };
    expect((await post(harness.bridge.logsUrl, body, headers)).status).toBe(200);
    expect((await post(harness.bridge.logsUrl, `${body} `, headers)).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(50 * size, 0x20));
    expect(bomb.byteLength).toBeLessThan(size);
    const response = await post(harness.bridge.logsUrl, bomb, { ...headers, 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(JSON.parse(text(response.bytes)).message).toMatch(/expands above maxBodyBytes/);
    expect(
      (await post(harness.bridge.logsUrl, gzipSync(body), { ...headers, 'content-encoding': 'gzip' })).status,
    ).toBe(200);
  });

  it('answers 404 and 405 for other routes and methods, and serves health and readiness', async () => {
    harness = await startHarness();
    expect((await fetch(harness.bridge.logsUrl)).status).toBe(405);
    expect((await fetch(`${harness.bridge.url}/v1/traces`, { method: 'POST' })).status).toBe(404);
    const health = await fetch(`${harness.bridge.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${harness.bridge.url}/readyz`)).status).toBe(200);
  });

  it('answers 429 with Retry-After when the queue is full, keeps none of that request, and the client retry succeeds', async () => {
    harness = await startHarness({ maxQueueSize: 2, retryAfterSeconds: 1 });
    // A slow CloudTrail Lake keeps the first two records pending long enough to fill the queue.
    harness.emulator.setFaults({ script: [{ kind: 'pass', latencyMillis: 500 }] });
    const headers = { 'content-type': 'application/json' };
    const first = await post(
      harness.bridge.logsUrl,
      JSON.stringify(jsonRequest([auditRecord('A'), auditRecord('B')])),
      headers,
    );
    expect(first.status).toBe(200);
    const refused = await post(
      harness.bridge.logsUrl,
      JSON.stringify(jsonRequest([auditRecord('C')])),
      headers,
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${harness.bridge.url}/readyz`)).status).toBe(503);
    expect(harness.bridge.counters.throttledRequests).toBe(1);

    // The real OTLP exporter retries 429 after Retry-After; by then the queue has been exported.
    const { provider, logger } = otlpClient(harness.bridge.logsUrl, 'json');
    logger.emit({
      attributes: {
        'audit.event_name': 'D',
        'user.id': 'alice',
        'audit.recipient_account_id': '123456789012',
      },
    });
    await provider.forceFlush();
    await provider.shutdown();
    await harness.bridge.drain();
    const emulator = harness.emulator;
    await vi.waitFor(() => expect(emulator.events()).toHaveLength(3), { timeout: 5_000 });
    expect(
      emulator
        .events()
        .map((e) => e.eventData['eventName'])
        .sort(),
    ).toEqual(['A', 'B', 'D']);
    expect(harness.bridge.counters.throttledRequests).toBeGreaterThanOrEqual(2);
  });

  it('stops accepting once close() starts and exports what it had accepted first', async () => {
    harness = await startHarness({ batch: { scheduledDelayMillis: 60_000 } });
    const headers = { 'content-type': 'application/json' };
    expect(
      (await post(harness.bridge.logsUrl, JSON.stringify(jsonRequest([auditRecord('A')])), headers)).status,
    ).toBe(200);
    expect(harness.bridge.pendingRecords).toBe(1);
    const result = await harness.bridge.close();
    expect(result).toEqual({ drained: true, deadlinePassed: false, pendingRecords: 0, lostRecords: 0 });
    expect(harness.emulator.events()).toHaveLength(1);
    await expect(fetch(harness.bridge.logsUrl, { method: 'POST', body: '{}', headers })).rejects.toThrow();
  });
});

describe('bridge options', () => {
  it('rejects invalid options and env vars with a ConfigError naming them', async () => {
    await expect(startBridge({ port: 70_000, exporter: {} as never }, {})).rejects.toThrow(ConfigError);
    await expect(
      startBridge({ exporter: {} as never }, { OTEL_CLOUDTRAIL_LAKE_BRIDGE_PORT: 'eighty' }),
    ).rejects.toThrow(/OTEL_CLOUDTRAIL_LAKE_BRIDGE_PORT.*eighty/);
    await expect(
      startBridge({ redact: { patterns: ['('] }, exporter: {} as never, port: 0 }, {}),
    ).rejects.toThrow(/redact\.patterns\[0\]/);
  });

  it('takes any counting processor as its pipeline, and throttles on its pendingRecords', async () => {
    const seen: unknown[] = [];
    const processor = {
      pendingRecords: 0,
      onEmit(record: { attributes: Record<string, unknown> }) {
        seen.push(record.attributes['audit.event_name']);
        this.pendingRecords++;
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const bridge = await startBridge({ port: 0, maxQueueSize: 1, sink: createProcessorSink(processor) }, {});
    try {
      const headers = { 'content-type': 'application/json' };
      expect(
        (await post(bridge.logsUrl, JSON.stringify(jsonRequest([auditRecord('A')])), headers)).status,
      ).toBe(200);
      expect(
        (await post(bridge.logsUrl, JSON.stringify(jsonRequest([auditRecord('B')])), headers)).status,
      ).toBe(429);
      processor.pendingRecords = 0;
      expect(
        (await post(bridge.logsUrl, JSON.stringify(jsonRequest([auditRecord('C')])), headers)).status,
      ).toBe(200);
      expect(seen).toEqual(['A', 'C']);
    } finally {
      await bridge.close();
    }
  });

  it('rejects a port that is already taken with the listen error', async () => {
    harness = await startHarness();
    const port = Number(new URL(harness.bridge.url).port);
    const exporterOptions = {
      endpoint: harness.emulator.url,
      channelArn: harness.emulator.channelArn,
      credentials: TEST_CREDENTIALS,
    };
    await expect(startBridge({ port, exporterOptions }, {})).rejects.toThrow(/EADDRINUSE/);
  });

  it('redacts by default and not when turned off', async () => {
    expect(DEFAULTS.bridgeRedact).toBe(true);
    harness = await startHarness({ redact: false });
    const body = JSON.stringify(
      jsonRequest([
        auditRecord('A', [
          {
            key: 'audit.request_parameters',
            value: { kvlistValue: { values: [{ key: 'password', value: { stringValue: 'p' } }] } },
          },
        ]),
      ]),
    );
    await post(harness.bridge.logsUrl, body, { 'content-type': 'application/json' });
    await harness.bridge.drain();
    expect(harness.emulator.events()[0]!.eventData['requestParameters']).toEqual({ password: 'p' });
  });
});
