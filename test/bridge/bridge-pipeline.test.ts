// Covers the bridge's export pipeline, the processor's delivery engine behind it: OTEL_BLRP_* read
// from the environment, a full spool reported to the client, and backpressure that counts what a durable
// spool keeps for redelivery. HTTP statuses and decoding: bridge-otlp-http.test.ts; restarts: bridge-cli.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBridge, type Bridge, type BridgeOptions } from '../../src/bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, auditRecord, jsonRequest, post, text } from './bridge-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const JSON_HEADERS = { 'content-type': 'application/json' };

async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'bridge-pipeline-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

async function start(
  options: BridgeOptions,
  env: Record<string, string> = {},
): Promise<{ emulator: Emulator; bridge: Bridge }> {
  const emulator = await startEmulator({ port: 0 });
  cleanups.push(() => emulator.close());
  const bridge = await startBridge(
    {
      port: 0,
      drainTimeoutMillis: 2_000,
      ...options,
      exporterOptions: {
        endpoint: emulator.url,
        channelArn: emulator.channelArn,
        credentials: TEST_CREDENTIALS,
        ...options.exporterOptions,
      },
    },
    env,
  );
  cleanups.push(async () => void (await bridge.close()));
  return { emulator, bridge };
}

function body(names: string[]): string {
  return JSON.stringify(jsonRequest(names.map((name) => auditRecord(name))));
}

describe('the bridge pipeline', () => {
  it('maps each record once: the event prepared on receipt is the one sent, and an invalid one is refused there', async () => {
    const mapped: string[] = [];
    const { emulator, bridge } = await start({
      exporterOptions: {
        mapRecord: (record, eventData) => {
          mapped.push(String(record.attributes['audit.event_name']));
          return eventData;
        },
      },
    });
    const invalid = auditRecord('Invalid', [
      { key: 'audit.event_time', value: { stringValue: 'not a time' } },
    ]);
    const request = jsonRequest([auditRecord('One'), auditRecord('Two'), invalid]);

    const response = await post(bridge.logsUrl, JSON.stringify(request), JSON_HEADERS);
    await bridge.drain();

    expect(response.status).toBe(200);
    expect(JSON.parse(text(response.bytes))).toMatchObject({ partialSuccess: { rejectedLogRecords: '1' } });
    expect(emulator.events().map((event) => event.eventData['eventName'])).toEqual(['One', 'Two']);
    expect(mapped).toEqual(['One', 'Two', 'Invalid']);
    expect(bridge.counters.rejectedByCode).toEqual({ CTL_ERR_BRIDGE_INVALID_RECORD: 1 });
  });

  it('batches as OTEL_BLRP_MAX_EXPORT_BATCH_SIZE says and sizes its queue by OTEL_BLRP_MAX_QUEUE_SIZE', async () => {
    const { emulator, bridge } = await start(
      {},
      {
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '2',
        OTEL_BLRP_SCHEDULE_DELAY: '60000',
        OTEL_BLRP_MAX_QUEUE_SIZE: '7',
      },
    );
    expect(bridge.options.maxQueueSize).toBe(7);
    expect((await post(bridge.logsUrl, body(['A', 'B', 'C', 'D', 'E']), JSON_HEADERS)).status).toBe(200);
    // Two full batches go at once; the fifth record waits for the 60 s schedule.
    await vi.waitFor(() => expect(bridge.pendingRecords).toBe(1), { timeout: 5_000 });
    expect(emulator.received().map((request) => request.auditEvents?.length)).toEqual([2, 2]);
    const tooMany = body(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect((await post(bridge.logsUrl, tooMany, JSON_HEADERS)).status).toBe(413);
    await bridge.drain();
    expect(emulator.received().map((request) => request.auditEvents?.length)).toEqual([2, 2, 1]);
  });

  it('reports the records a full spool refused in partialSuccess instead of answering as if kept', async () => {
    const directory = await tempDirectory();
    const { emulator, bridge } = await start({
      maxQueueSize: 100,
      batch: { scheduledDelayMillis: 60_000 },
      spool: { directory, maxBytes: 4_096 },
    });
    const names = Array.from({ length: 40 }, (_, i) => `E${i}`);
    const response = await post(bridge.logsUrl, body(names), JSON_HEADERS);
    expect(response.status).toBe(200);
    const partial = JSON.parse(text(response.bytes)).partialSuccess;
    const refused = Number(partial.rejectedLogRecords);
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(40);
    expect(partial.errorMessage).toMatch(new RegExp(`${refused} dropped because the bridge's spool is full`));
    expect(bridge.counters).toMatchObject({ acceptedRecords: 40 - refused, rejectedRecords: refused });
    await bridge.drain();
    expect(emulator.events()).toHaveLength(40 - refused);
  });

  it('keeps answering 429 while a durable spool holds records an outage made the exporter give up on', async () => {
    const spool = { directory: await tempDirectory() };
    const options: BridgeOptions = {
      maxQueueSize: 2,
      // A long redelivery delay keeps the given-up records in the spool, not in flight, for the test.
      batch: { scheduledDelayMillis: 10, redeliveryDelayMillis: 60_000 },
      spool,
      exporterOptions: { timeoutMillis: 300, retry: { maxAttempts: 2, initialBackoffMillis: 10 } },
    };
    const { emulator, bridge } = await start(options);
    emulator.setFaults({ outage: { mode: 'unavailable' } });
    expect((await post(bridge.logsUrl, body(['A', 'B']), JSON_HEADERS)).status).toBe(200);
    await bridge.drain(); // the export has ended: both records were given up on and kept
    expect(emulator.received().length).toBeGreaterThanOrEqual(2);
    expect(bridge.pendingRecords).toBe(2);
    expect((await post(bridge.logsUrl, body(['C']), JSON_HEADERS)).status).toBe(429);
    expect(await bridge.close()).toEqual({
      drained: false,
      deadlinePassed: false,
      pendingRecords: 2,
      lostRecords: 0,
    });

    // Nothing was dropped: the next bridge on the spool delivers both once the service is back.
    emulator.setFaults({});
    const next = await startBridge(
      {
        ...options,
        port: 0,
        exporterOptions: {
          ...options.exporterOptions,
          endpoint: emulator.url,
          channelArn: emulator.channelArn,
          credentials: TEST_CREDENTIALS,
        },
      },
      {},
    );
    cleanups.push(async () => void (await next.close()));
    await vi.waitFor(
      () => {
        expect(emulator.events()).toHaveLength(2);
        expect(next.pendingRecords).toBe(0);
      },
      { timeout: 5_000 },
    );
    expect((await post(next.logsUrl, body(['C']), JSON_HEADERS)).status).toBe(200);
    await next.drain();
    expect(
      emulator
        .events()
        .map((event) => event.eventData['eventName'])
        .sort(),
    ).toEqual(['A', 'B', 'C']);
  });
});
