// Covers the bounded bridge: each decode limit answered 400 with its name at its boundary (JSON and
// protobuf), the scan refusing before anything is parsed, deep nesting refused without a 500, slow
// clients cut off, the connection cap and the cap on requests decoded at once.
// Authentication: bridge-auth.test.ts; ordinary OTLP handling: bridge-otlp-http.test.ts.
import { connect, type Socket } from 'node:net';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DecodeLimitError, type DecodeLimits } from '../../src/bridge/decode-limits.js';
import { createJsonLogsScanner, scanJsonLogsRequest } from '../../src/bridge/scan-json-logs.js';
import { scanProtobufLogsRequest } from '../../src/bridge/scan-protobuf-logs.js';
import { DEFAULTS } from '../../src/defaults.js';
import {
  auditRecord,
  harnessPerTest,
  jsonRequest,
  post,
  startHarness,
  text,
  type Harness,
} from './bridge-harness.js';

/** The logs API's AnyValue, read off the SDK's logger so the test compiles on both OTel lines. */
type AnyValue = NonNullable<Parameters<ReturnType<LoggerProvider['getLogger']>['emit']>[0]['body']>;

const sockets: Socket[] = [];
const session = harnessPerTest();
let harness: Harness | undefined;
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

const JSON_HEADERS = { 'content-type': 'application/json' };
const PROTOBUF_HEADERS = { 'content-type': 'application/x-protobuf' };

/** A protobuf ExportLogsServiceRequest serialised by the OTel SDK's own serializer. */
async function protobufBody(
  records: Array<{ attributes?: Record<string, AnyValue>; body?: AnyValue }>,
): Promise<Uint8Array> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [new SimpleLogRecordProcessor({ exporter })],
    logRecordLimits: { attributeCountLimit: 100_000 },
  });
  const logger = provider.getLogger('limits');
  for (const record of records) logger.emit(record);
  await provider.forceFlush();
  return ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!;
}

const attributes = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, `v${i}`] as const));
const nestedJson = (depth: number): Record<string, unknown> =>
  depth === 0 ? { stringValue: 'leaf' } : { arrayValue: { values: [nestedJson(depth - 1)] } };
const nestedAny = (depth: number): AnyValue => (depth === 0 ? 'leaf' : [nestedAny(depth - 1)]);

async function expect400(
  body: string | Uint8Array,
  headers: Record<string, string>,
  limit: string,
): Promise<void> {
  const response = await post(harness!.bridge.logsUrl, body, headers);
  expect(response.status).toBe(400);
  if (headers['content-type'] === 'application/json') expect(text(response.bytes)).toContain(`\`${limit}\``);
  else expect(text(response.bytes)).toContain(limit);
}

describe('decode limits, answered 400 with the limit named', () => {
  it('maxRecordsPerRequest: 3 records pass, 4 are refused', async () => {
    harness = session.track(await startHarness({ maxRecordsPerRequest: 3 }));
    const records = (n: number) => Array.from({ length: n }, (_, i) => auditRecord(`E${i}`));
    expect(
      (await post(harness.bridge.logsUrl, JSON.stringify(jsonRequest(records(3))), JSON_HEADERS)).status,
    ).toBe(200);
    await expect400(JSON.stringify(jsonRequest(records(4))), JSON_HEADERS, 'maxRecordsPerRequest');
    await expect400(await protobufBody([{}, {}, {}, {}]), PROTOBUF_HEADERS, 'maxRecordsPerRequest');
  });

  it('maxAttributesPerRecord: 5 attributes pass, 6 are refused', async () => {
    harness = session.track(await startHarness({ maxAttributesPerRecord: 5 }));
    const extra = [{ key: 'x', value: { stringValue: 'y' } }];
    expect(
      (
        await post(
          harness.bridge.logsUrl,
          JSON.stringify(jsonRequest([auditRecord('A', extra)])),
          JSON_HEADERS,
        )
      ).status,
    ).toBe(200);
    await expect400(
      JSON.stringify(jsonRequest([auditRecord('A', [...extra, ...extra])])),
      JSON_HEADERS,
      'maxAttributesPerRecord',
    );
    expect(
      (
        await post(
          harness.bridge.logsUrl,
          await protobufBody([{ attributes: attributes(5) }]),
          PROTOBUF_HEADERS,
        )
      ).status,
    ).toBe(200);
    await expect400(
      await protobufBody([{ attributes: attributes(6) }]),
      PROTOBUF_HEADERS,
      'maxAttributesPerRecord',
    );
  });

  it('maxAnyValueDepth: depth 3 passes, 4 is refused', async () => {
    harness = session.track(await startHarness({ maxAnyValueDepth: 3 }));
    const withBody = (depth: number) =>
      JSON.stringify(jsonRequest([{ ...auditRecord('D'), body: nestedJson(depth) }]));
    expect((await post(harness.bridge.logsUrl, withBody(3), JSON_HEADERS)).status).toBe(200);
    await expect400(withBody(4), JSON_HEADERS, 'maxAnyValueDepth');
    expect(
      (await post(harness.bridge.logsUrl, await protobufBody([{ body: nestedAny(3) }]), PROTOBUF_HEADERS))
        .status,
    ).toBe(200);
    await expect400(await protobufBody([{ body: nestedAny(4) }]), PROTOBUF_HEADERS, 'maxAnyValueDepth');
  });

  it('maxDecodedBytes: refuses a request whose decoded size is above it', async () => {
    harness = session.track(await startHarness({ maxDecodedBytes: 4000 }));
    const withBody = (chars: number) =>
      JSON.stringify(jsonRequest([{ ...auditRecord('S'), body: { stringValue: 'x'.repeat(chars) } }]));
    expect((await post(harness.bridge.logsUrl, withBody(1000), JSON_HEADERS)).status).toBe(200);
    await expect400(withBody(5000), JSON_HEADERS, 'maxDecodedBytes');
    await expect400(await protobufBody([{ body: 'x'.repeat(5000) }]), PROTOBUF_HEADERS, 'maxDecodedBytes');
  });

  it('answers 400, never 500, to a 10,000-deep JSON array and a 1,000-deep protobuf AnyValue', async () => {
    harness = session.track(await startHarness());
    const deepArray = `{"resourceLogs":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    await expect400(deepArray, JSON_HEADERS, 'maxAnyValueDepth');
    await expect400(await protobufBody([{ body: nestedAny(1_000) }]), PROTOBUF_HEADERS, 'maxAnyValueDepth');
    // Still serving.
    expect((await fetch(`${harness.bridge.url}/healthz`)).status).toBe(200);
  });
});

describe('the scan refuses while reading, before anything is parsed', () => {
  const limits: DecodeLimits = {
    maxRecordsPerRequest: 1,
    maxAttributesPerRecord: DEFAULTS.bridgeMaxAttributesPerRecord,
    maxAnyValueDepth: DEFAULTS.bridgeMaxAnyValueDepth,
    maxDecodedBytes: DEFAULTS.bridgeMaxDecodedBytes,
  };

  it('stops a JSON body at the record above the limit, never reaching the broken rest', () => {
    const truncated = '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{},{} @@@ not JSON';
    expect(() => scanJsonLogsRequest(Buffer.from(truncated), limits)).toThrow(DecodeLimitError);
    expect(() => JSON.parse(truncated) as unknown).toThrow(SyntaxError);
  });

  it('scans JSON in steps that keep their state, so decoding can give the event loop turns between them', () => {
    const text = JSON.stringify(jsonRequest([auditRecord('A'), auditRecord('B')]));
    const scanner = createJsonLogsScanner(Buffer.from(text), limits);
    // The first record fits in the first half; the second, above maxRecordsPerRequest, is in the second.
    const firstRecordEnd = text.indexOf('"timeUnixNano"', text.indexOf('"timeUnixNano"') + 1);
    expect(scanner.scanTo(firstRecordEnd - 5)).toBe(false);
    expect(() => scanner.scanTo(Buffer.byteLength(text))).toThrow(DecodeLimitError);
  });

  it('stops a protobuf body at the record above the limit, never reaching the broken rest', async () => {
    const valid = await protobufBody([{}, {}]);
    // A field tag with wire type 7 (invalid) appended: a full decode would fail on it.
    const broken = new Uint8Array([...valid, 0x0f]);
    expect(() => scanProtobufLogsRequest(broken, limits)).toThrow(DecodeLimitError);
    expect(() => scanProtobufLogsRequest(broken, { ...limits, maxRecordsPerRequest: 2 })).toThrow(
      /wire type 7/,
    );
  });
});

/** A raw TCP connection to the bridge, and whether the server has closed it. */
async function rawConnection(
  url: string,
): Promise<{ socket: Socket; closed: () => boolean; received: () => string }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  let closed = false;
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, closed: () => closed, received: () => received };
}

describe('slow and numerous clients', () => {
  it('cuts off a client that does not finish its headers within headersTimeoutMillis', async () => {
    harness = session.track(await startHarness({ headersTimeoutMillis: 100, requestTimeoutMillis: 100 }));
    const slow = await rawConnection(harness.bridge.url);
    slow.socket.write('POST /v1/logs HTTP/1.1\r\nHost: bridge\r\n');
    await vi.waitFor(() => expect(slow.closed()).toBe(true), { timeout: 5000 });
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off a client that does not finish its body within requestTimeoutMillis', async () => {
    harness = session.track(await startHarness({ headersTimeoutMillis: 100, requestTimeoutMillis: 150 }));
    const slow = await rawConnection(harness.bridge.url);
    slow.socket.write(
      'POST /v1/logs HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"res',
    );
    await vi.waitFor(() => expect(slow.closed()).toBe(true), { timeout: 5000 });
  });

  it('closes connections above maxConnections at once', async () => {
    harness = session.track(await startHarness({ maxConnections: 1 }));
    const first = await rawConnection(harness.bridge.url);
    const second = await rawConnection(harness.bridge.url);
    await vi.waitFor(() => expect(second.closed()).toBe(true));
    expect(first.closed()).toBe(false);
  });

  it('answers 429 without reading the body when maxConcurrentRequests are being decoded, and /healthz meanwhile', async () => {
    harness = session.track(await startHarness({ maxConcurrentRequests: 1 }));
    const held = await rawConnection(harness.bridge.url);
    held.socket.write(
      'POST /v1/logs HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"res',
    );
    await vi.waitFor(async () => {
      const response = await post(
        harness!.bridge.logsUrl,
        JSON.stringify(jsonRequest([auditRecord('X')])),
        JSON_HEADERS,
      );
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe(String(DEFAULTS.bridgeRetryAfterSeconds));
    });
    expect((await fetch(`${harness.bridge.url}/healthz`)).status).toBe(200);
    held.socket.destroy();
    await vi.waitFor(async () => {
      expect(
        (await post(harness!.bridge.logsUrl, JSON.stringify(jsonRequest([auditRecord('Y')])), JSON_HEADERS))
          .status,
      ).toBe(200);
    });
  });
});
