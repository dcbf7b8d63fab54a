// Covers OTLP/gRPC into the bridge: the real OTel gRPC log exporter delivering to the emulator (plain and
// gzip), and grpc-js as a raw client for the answers: UNAUTHENTICATED, RESOURCE_EXHAUSTED with RetryInfo,
// INVALID_ARGUMENT naming the limit, partial_success, oversize and gzip-bomb messages, UNAVAILABLE after
// close. The processing behind both transports is shared; its details are in the OTLP/HTTP tests.
import { createServer, type AddressInfo } from 'node:net';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { OTLPLogExporter as OTLPGrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import protobuf from 'protobufjs';
import { describe, expect, it, vi } from 'vitest';
import { createProcessorSink, startBridge } from '../../src/bridge/index.js';
import { hasAuditAttribute } from '../../src/mapping/audit-attributes.js';
import {
  BRIDGE_TOKENS,
  TEST_CREDENTIALS,
  harnessPerTest,
  startHarness,
  tempFile,
  type Harness,
} from './bridge-harness.js';
import { AUDIT_ATTRIBUTES as AUDIT, exportCall, exportRequest } from './grpc-test-client.js';

const session = harnessPerTest();
const { cleanups } = session;

/** A LoggerProvider whose records go, one export per record, to the bridge over OTLP/gRPC. */
function grpcClient(url: string, extra: { compression?: 'gzip'; metadata?: Metadata } = {}) {
  const exporter = new OTLPGrpcLogExporter({
    url,
    timeoutMillis: 10_000,
    ...(extra.compression === undefined ? {} : { compression: extra.compression as never }),
    ...(extra.metadata === undefined ? {} : { metadata: extra.metadata }),
  });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'grpc-test' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  cleanups.push(() => provider.shutdown());
  return { provider, logger: provider.getLogger('audit-client', '1.0.0') };
}

/** google.rpc.Status and RetryInfo, from googleapis' status.proto and error_details.proto. */
const RPC = protobuf.parse(
  `
syntax = "proto3";
package google.rpc;
message Any { string type_url = 1; bytes value = 2; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message RetryInfo { Duration retry_delay = 1; }
`,
  { keepCase: true },
).root;

/** The RetryInfo delay, in seconds, of a refusal's `grpc-status-details-bin`, or undefined without one. */
function retryDelaySeconds(error: ServiceError): number | undefined {
  const [bytes] = error.metadata.get('grpc-status-details-bin');
  if (bytes === undefined || typeof bytes === 'string') return undefined;
  const decoded = RPC.lookupType('google.rpc.Status').toObject(
    RPC.lookupType('google.rpc.Status').decode(bytes),
    {
      longs: Number,
    },
  ) as { code: number; details: Array<{ type_url: string; value: Uint8Array }> };
  expect(decoded.code).toBe(error.code);
  const detail = decoded.details.find((any) => any.type_url === 'type.googleapis.com/google.rpc.RetryInfo');
  if (detail === undefined) return undefined;
  const retryInfo = RPC.lookupType('google.rpc.RetryInfo');
  const info = retryInfo.toObject(retryInfo.decode(detail.value), { longs: Number }) as {
    retry_delay?: { seconds?: number };
  };
  return info.retry_delay?.seconds ?? 0;
}

async function harnessWith(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  return session.track(await startHarness(options));
}

describe('bridge over OTLP/gRPC', () => {
  it('delivers audit records from the OTel gRPC log exporter to CloudTrail Lake, plain and gzip', async () => {
    const harness = await harnessWith();
    const { bridge, emulator } = harness;
    expect(bridge.grpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.grpcUrl).not.toBe(bridge.url);
    const plain = grpcClient(bridge.grpcUrl!);
    plain.logger.emit({ attributes: { 'audit.event_name': 'PlainGrpc', ...AUDIT } });
    const gzip = grpcClient(bridge.grpcUrl!, { compression: 'gzip' });
    gzip.logger.emit({ attributes: { 'audit.event_name': 'GzipGrpc', ...AUDIT } });
    gzip.logger.emit({ body: 'not an audit record' });
    await Promise.all([plain.provider.forceFlush(), gzip.provider.forceFlush()]);
    await bridge.drain();
    await vi.waitFor(() => expect(emulator.events()).toHaveLength(2));
    const names = emulator.events().map((event) => String(event.eventData['eventName']));
    expect(names.sort()).toEqual(['GzipGrpc', 'PlainGrpc']);
    expect(bridge.counters).toMatchObject({ requests: 3, acceptedRecords: 2, skippedRecords: 1 });
    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    expect(metrics).toContain('otel_cloudtrail_lake_bridge_requests_total{protocol="grpc",status="OK"} 3');
  });

  it('requires a token from the token file in the authorization metadata', async () => {
    const path = await tempFile(
      'tokens.yaml',
      `clients:\n  - name: payments-service\n    token: ${BRIDGE_TOKENS.payments}\n`,
      (cleanup) => cleanups.push(cleanup),
    );
    const { bridge, emulator } = await harnessWith({ authTokensFile: path });
    const body = await exportRequest(['NoToken']);
    const anonymous = await exportCall(bridge.grpcUrl!, body);
    expect(anonymous.error?.code).toBe(status.UNAUTHENTICATED);
    const wrong = new Metadata();
    wrong.set('authorization', `Bearer ${BRIDGE_TOKENS.wrong}`);
    expect((await exportCall(bridge.grpcUrl!, body, { metadata: wrong })).error?.code).toBe(
      status.UNAUTHENTICATED,
    );
    expect(bridge.counters.authFailuresByReason).toEqual({ missing_credentials: 1, invalid_token: 1 });

    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${BRIDGE_TOKENS.payments}`);
    const client = grpcClient(bridge.grpcUrl!, { metadata });
    client.logger.emit({ attributes: { 'audit.event_name': 'WithToken', ...AUDIT } });
    await client.provider.forceFlush();
    await bridge.drain();
    await vi.waitFor(() => expect(emulator.events()).toHaveLength(1));
    expect(emulator.events()[0]?.eventData['eventName']).toBe('WithToken');
  });

  it('refuses a full queue with RESOURCE_EXHAUSTED and RetryInfo, keeping nothing of the request', async () => {
    const processor = {
      pendingRecords: 0,
      onEmit() {
        this.pendingRecords++;
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const bridge = await startBridge(
      { port: 0, maxQueueSize: 2, retryAfterSeconds: 7, sink: createProcessorSink(processor) },
      {},
    );
    cleanups.push(async () => void (await bridge.close()));
    expect((await exportCall(bridge.grpcUrl!, await exportRequest(['A']))).response).toBeDefined();
    const full = await exportCall(bridge.grpcUrl!, await exportRequest(['B', 'C']));
    expect(full.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(full.error?.details).toMatch(/export queue full .*maxQueueSize 2/);
    expect(retryDelaySeconds(full.error!)).toBe(7);
    expect(processor.pendingRecords).toBe(1);
  });

  it('refuses a request above a decode limit with INVALID_ARGUMENT naming the limit, without RetryInfo', async () => {
    const { bridge, emulator } = await harnessWith({ maxRecordsPerRequest: 2 });
    const result = await exportCall(bridge.grpcUrl!, await exportRequest(['A', 'B', 'C']));
    expect(result.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(result.error?.details).toMatch(/maxRecordsPerRequest/);
    expect(retryDelaySeconds(result.error!)).toBeUndefined();
    expect((await exportCall(bridge.grpcUrl!, await exportRequest(['A', 'B']))).response).toBeDefined();
    await bridge.drain();
    expect(emulator.events()).toHaveLength(2);
  });

  it('reports refused records in partial_success of the response and exports the others', async () => {
    const filter = (record: Parameters<typeof hasAuditAttribute>[0]): boolean => {
      if (record.attributes['audit.event_name'] === 'Bad') throw new Error('bad record');
      return hasAuditAttribute(record);
    };
    const { bridge, emulator } = await harnessWith({ filter });
    const result = await exportCall(bridge.grpcUrl!, await exportRequest(['Good', 'Bad']));
    const decoded = ProtobufLogsSerializer.deserializeResponse(result.response!);
    expect(Number(decoded.partialSuccess?.rejectedLogRecords)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/filter threw: bad record/);
    await bridge.drain();
    expect(emulator.events()).toHaveLength(1);
  });

  it('refuses a message above maxBodyBytes, and a small gzip message that inflates above it', async () => {
    const maxBodyBytes = 64 * 1024;
    const { bridge } = await harnessWith({ maxBodyBytes });
    const large = Buffer.alloc(maxBodyBytes + 1);
    const plain = await exportCall(bridge.grpcUrl!, large);
    expect(plain.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    // Zeros compress about a thousandfold: the message on the wire is far below the limit.
    const bomb = await exportCall(bridge.grpcUrl!, Buffer.alloc(16 * maxBodyBytes), { gzip: true });
    expect(bomb.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(bomb.error?.details).toMatch(new RegExp(`decompresses to a size larger than ${maxBodyBytes}`));
    // Neither has RetryInfo: a retry would be refused again.
    expect(retryDelaySeconds(bomb.error!)).toBeUndefined();
    expect(bridge.counters.receivedRecords).toBe(0);
    const fits = await exportCall(bridge.grpcUrl!, await exportRequest(['Fits']), { gzip: true });
    expect(fits.response).toBeDefined();
  });

  it('refuses to start when the gRPC port is taken, and leaves the HTTP port free', async () => {
    const { bridge, emulator } = await harnessWith();
    const grpcPort = Number(new URL(bridge.grpcUrl!).port);
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(
      startBridge(
        {
          port: free,
          grpcPort,
          exporterOptions: {
            endpoint: emulator.url,
            channelArn: emulator.channelArn,
            credentials: TEST_CREDENTIALS,
          },
        },
        {},
      ),
    ).rejects.toThrow(/OTLP\/gRPC on 127\.0\.0\.1:\d+ \(grpcPort\).*EADDRINUSE/);
    // The HTTP port the failed start had opened is closed again.
    await new Promise<void>((resolve, reject) => {
      const again = createServer()
        .once('error', reject)
        .listen(free, '127.0.0.1', () => again.close(() => resolve()));
    });
  });

  it('stops taking calls once closed, and can be switched off', async () => {
    const harness = await harnessWith();
    const url = harness.bridge.grpcUrl!;
    expect((await exportCall(url, await exportRequest(['Before']))).response).toBeDefined();
    expect(await harness.bridge.close()).toMatchObject({ drained: true });
    expect(harness.emulator.events()).toHaveLength(1);
    expect((await exportCall(url, await exportRequest(['After']))).error?.code).toBe(status.UNAVAILABLE);

    const httpOnly = await harnessWith({ grpc: false });
    expect(httpOnly.bridge.grpcUrl).toBeUndefined();
  });
});
