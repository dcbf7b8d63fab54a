// Routing to many channels through one exporter, end to end: real sdk-logs records through the processor
// to the emulator over HTTP with three channels, one of them missing. Bridge routing rules are covered in
// test/bridge/bridge-routing.test.ts; the pure route checks in test/unit/pipeline/channel-destination.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { EventRejection } from '../../src/errors.js';
import type { AuditLogRecord } from '../../src/mapping/audit-log-record.js';
import { CHANNEL_ATTRIBUTE } from '../../src/pipeline/export-stats.js';
import { verifyReceiptChain } from '../../src/receipts/verify-receipt-chain.js';
import { createLakeChecker } from '../../src/receipts/verify-receipts-in-lake.js';
import { auditAttributes, createPipeline } from '../helpers/audit-pipeline.js';
import { TestMetricReader } from '../helpers/test-metric-reader.js';

const TENANT_A = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/tenant-a';
const TENANT_B = 'arn:aws:cloudtrail:us-east-1:444455556666:channel/tenant-b';
const TENANT_B_EXTERNAL_ID = 'tenant-b-external-id';
const TENANT_GONE = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/tenant-gone';

/** Routes by the record's `tenant.id`, as a multi-tenant app would. */
function byTenant(record: AuditLogRecord) {
  switch (record.attributes['tenant.id']) {
    case 'a':
      return TENANT_A;
    case 'b':
      return { channelArn: TENANT_B, externalId: TENANT_B_EXTERNAL_ID };
    case 'gone':
      return TENANT_GONE;
    case 'bare':
      return 'tenant-a';
    default:
      throw new Error(`no channel for tenant ${String(record.attributes['tenant.id'])}`);
  }
}

let emulator: Emulator;
let directory: string;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    channels: [{ channelArn: TENANT_A }, { channelArn: TENANT_B, externalId: TENANT_B_EXTERNAL_ID }],
  });
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.setFaults({});
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

/** The UIDs stored on one channel, read back from the emulator's store. */
function storedOn(channelArn: string): string[] {
  return emulator
    .events()
    .filter((event) => event.metadata.channelARN === channelArn)
    .map((event) => String(event.eventData['UID']))
    .sort();
}

function tenantRecord(tenant: string, id: string): Record<string, unknown> {
  return auditAttributes(1, { 'tenant.id': tenant, 'audit.id': id });
}

describe('routing with a channelArn function', () => {
  it('delivers each channel its own records, rejects the missing channel alone, labels counters and dead letters', async () => {
    directory = mkdtempSync(join(tmpdir(), 'routing-'));
    const deadLetterPath = join(directory, 'dead.jsonl');
    const receiptsPath = join(directory, 'receipts.jsonl');
    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const pipeline = createPipeline(emulator, {
      channelArn: byTenant,
      deadLetter: { path: deadLetterPath },
      receipts: { path: receiptsPath },
      meterProvider,
    });
    const ids = {
      a: ['route-a-1', 'route-a-2'],
      b: ['route-b-1', 'route-b-2'],
      gone: ['route-gone-1', 'route-gone-2'],
    };
    for (const [tenant, tenantIds] of Object.entries(ids)) {
      for (const id of tenantIds) pipeline.emit(tenantRecord(tenant, id));
    }
    await pipeline.provider.shutdown();

    expect(storedOn(TENANT_A)).toEqual(ids.a);
    expect(storedOn(TENANT_B)).toEqual(ids.b);
    expect(storedOn(TENANT_GONE)).toEqual([]);
    // CloudTrail Lake requires each event's recipientAccountId to be its channel owner's account.
    const tenantB = emulator.events().filter((event) => event.metadata.channelARN === TENANT_B);
    expect(tenantB.map((event) => event.eventData['recipientAccountId'])).toEqual([
      '444455556666',
      '444455556666',
    ]);
    // Events for different channels never share a request: each request holds only its channel's ids.
    const channelOf = new Map<string, string>([
      ...ids.a.map((id) => [id, TENANT_A] as const),
      ...ids.b.map((id) => [id, TENANT_B] as const),
      ...ids.gone.map((id) => [id, TENANT_GONE] as const),
    ]);
    for (const request of emulator.received()) {
      for (const event of request.auditEvents ?? []) expect(channelOf.get(event.id)).toBe(request.channelArn);
    }
    expect(emulator.received().filter((r) => r.errorType === 'ChannelNotFound')).toHaveLength(1);

    const stats = pipeline.exporter.stats;
    expect(stats).toMatchObject({ exported: 4, rejected: 2, failed: 0 });
    expect(stats.channels[TENANT_A]).toMatchObject({ exported: 2, rejected: 0, requests: 1 });
    expect(stats.channels[TENANT_B]).toMatchObject({ exported: 2, rejected: 0, requests: 1 });
    expect(stats.channels[TENANT_GONE]).toMatchObject({ exported: 0, rejected: 2, requests: 1 });
    expect(pipeline.processor.stats.ledger).toMatchObject({ accepted: 4, rejected: 2, pending: 0 });

    const letters = readFileSync(deadLetterPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(letters.map((letter) => letter['id']).sort()).toEqual(ids.gone);
    for (const letter of letters) {
      expect(letter).toMatchObject({
        channelArn: TENANT_GONE,
        reason: { code: 'CTL_ERR_CHANNEL', serviceErrorCode: 'ChannelNotFound' },
      });
    }

    // Receipts name each event's channel, and verify checks each channel in its event data store.
    const receipts = readFileSync(receiptsPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; channelArn: string });
    expect(receipts.map((receipt) => [receipt.id, receipt.channelArn]).sort()).toEqual([
      ...ids.a.map((id) => [id, TENANT_A]),
      ...ids.b.map((id) => [id, TENANT_B]),
    ]);
    const checker = createLakeChecker((sql) => emulator.query(sql), {
      eventDataStores: { [TENANT_A]: emulator.eventDataStoreId, [TENANT_B]: emulator.eventDataStoreArn },
    });
    const chain = await verifyReceiptChain(receiptsPath, (receipt) => checker.add(receipt));
    expect(chain.broken).toBeUndefined();
    expect(await checker.finish()).toMatchObject({
      checked: 4,
      missing: 0,
      altered: 0,
      duplicated: 0,
      unchecked: 0,
    });

    const { resourceMetrics } = await reader.collect();
    const sent = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === 'otelcol_exporter_sent_log_records');
    const sentByChannel = Object.fromEntries(
      (sent?.dataPoints ?? []).map((point) => [String(point.attributes[CHANNEL_ATTRIBUTE]), point.value]),
    );
    expect(sentByChannel).toEqual({ [TENANT_A]: 2, [TENANT_B]: 2 });
    const deadLettered = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === 'cloudtrail_lake_exporter_dead_lettered_log_records');
    expect(
      deadLettered?.dataPoints.map((point) => [point.attributes[CHANNEL_ATTRIBUTE], point.value]),
    ).toEqual([[TENANT_GONE, 2]]);
    await meterProvider.shutdown();
  });

  it('rejects alone a record whose route throws or is not a channel ARN, naming the field and the value', async () => {
    const rejected: EventRejection[] = [];
    const pipeline = createPipeline(emulator, {
      channelArn: byTenant,
      onRejected: (rejections) => rejected.push(...rejections),
    });
    pipeline.emit(tenantRecord('a', 'throwing-ok'));
    pipeline.emit(tenantRecord('nobody', 'throwing-throws'));
    pipeline.emit(tenantRecord('bare', 'throwing-bare'));
    await pipeline.provider.shutdown();

    expect(storedOn(TENANT_A)).toContain('throwing-ok');
    expect(emulator.events().map((event) => event.eventData['UID'])).not.toContain('throwing-throws');
    const byId = new Map(rejected.map((rejection) => [rejection.eventId, rejection]));
    expect(byId.get('throwing-throws')).toMatchObject({
      code: 'CTL_ERR_ROUTE',
      field: 'channelArn',
      message: expect.stringMatching(/`channelArn` threw: no channel for tenant nobody/) as unknown,
    });
    expect(byId.get('throwing-bare')).toMatchObject({
      code: 'CTL_ERR_ROUTE',
      field: 'channelArn',
      message: expect.stringContaining('tenant-a') as unknown,
    });
    expect(pipeline.processor.stats.ledger).toMatchObject({ accepted: 1, rejected: 2, pending: 0 });
  });

  it('replays spooled records to the channel decided when they were emitted', async () => {
    directory = mkdtempSync(join(tmpdir(), 'routing-spool-'));
    const spool = { directory, fsync: 'never' as const };
    emulator.setFaults({ outage: { mode: 'unavailable' } });
    const first = createPipeline(
      emulator,
      { channelArn: byTenant, retry: { maxAttempts: 1 } },
      { spool, exportTimeoutMillis: 2_000 },
    );
    first.emit(tenantRecord('a', 'spooled-a'));
    first.emit(tenantRecord('b', 'spooled-b'));
    await first.provider.shutdown();
    expect(first.processor.stats.spoolRecords).toBe(2);
    emulator.setFaults({});

    // The next run routes every record elsewhere: a replay must not route again.
    let routedAgain = 0;
    const second = createPipeline(
      emulator,
      {
        channelArn: () => {
          routedAgain += 1;
          return TENANT_GONE;
        },
      },
      { spool },
    );
    await second.provider.shutdown();
    expect(routedAgain).toBe(0);
    expect(storedOn(TENANT_A)).toContain('spooled-a');
    expect(storedOn(TENANT_B)).toContain('spooled-b');
    expect(second.processor.stats.spoolRecords).toBe(0);
  });
});
