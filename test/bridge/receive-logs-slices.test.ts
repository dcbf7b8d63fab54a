// Covers how the bridge admits a decoded request: selection, pins, redaction and validation run in slices
// with turns of the event loop between them, one request at a time, and the queue room a request was
// granted stays held until its records are emitted, so no request checked meanwhile overfills the queue. Decoding in
// slices: decode-logs-body.test.ts; backpressure end to end: bridge-otlp-http.test.ts.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { ADMISSION_SLICE_RECORDS } from '../../src/bridge/admit-records.js';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import type { CloudTrailLakeLogExporterOptions } from '../../src/options.js';
import { createBridgeCounters } from '../../src/bridge/bridge-counters.js';
import { resolveBridgeOptions } from '../../src/bridge/bridge-options.js';
import type { BridgeSink } from '../../src/bridge/bridge-sink.js';
import { createIntakePreparer } from '../../src/bridge/prepare-on-intake.js';
import type { ReceivedBody } from '../../src/bridge/read-body.js';
import { receiveLogs, type LogsReceiverContext } from '../../src/bridge/receive-logs.js';
import { createRedactor } from '../../src/processors/redact.js';
import type { PipelineEntry } from '../../src/pipeline/pipeline-entry.js';
import type { AuditLogRecord } from '../../src/mapping/audit-log-record.js';

const CHANNEL_ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:channel/slices';

/** A protobuf ExportLogsServiceRequest of `count` valid audit records, serialised by the OTel SDK. */
async function request(count: number): Promise<ReceivedBody> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('admission', '1.0.0');
  for (let i = 0; i < count; i++) {
    logger.emit({
      attributes: {
        'audit.event_name': 'order.refund',
        'audit.event_source': 'shop.example',
        'audit.user_identity.type': 'Customer',
        'audit.recipient_account_id': '123456789012',
        'user.id': `user-${i}`,
      },
    });
  }
  await provider.forceFlush();
  const bytes = Buffer.from(ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!);
  return { bytes, gzip: false };
}

/** A sink that keeps what it is given and never settles it, so `pendingRecords` only grows. */
function holdingSink(onEmit: (entries: readonly PipelineEntry[]) => void = () => {}): BridgeSink & {
  entries: PipelineEntry[];
} {
  const entries: PipelineEntry[] = [];
  return {
    entries,
    get pendingRecords() {
      return entries.length;
    },
    emit(given) {
      onEmit(given);
      entries.push(...given);
      return 0;
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

/**
 * The sink, preparing records on intake with the pipeline of an exporter made with `mapping`, as the
 * bridge's own sink does (the exporter never sends: the sink keeps what it is given).
 */
function receiverContext(
  sink: BridgeSink,
  filter: (record: AuditLogRecord) => boolean,
  mapping: Pick<CloudTrailLakeLogExporterOptions, 'mapRecord'>,
  maxQueueSize = 2048,
): LogsReceiverContext {
  const { pipeline } = new CloudTrailLakeLogExporter(
    { channelArn: CHANNEL_ARN, putAuditEvents: () => Promise.resolve({}), ...mapping },
    {},
  );
  return {
    options: resolveBridgeOptions({ maxQueueSize }, {}),
    sink: Object.assign(sink, { prepare: createIntakePreparer(pipeline.map, undefined) }),
    counters: createBridgeCounters(),
    filter,
    redactor: createRedactor(),
    mapping: pipeline.mapping,
  };
}

/** Counts turns of the event loop from its start until stopped. */
function turnCounter(): { readonly turns: number; stop(): void } {
  let turns = 0;
  let running = true;
  void (async () => {
    while (running) {
      await nextTurn();
      turns++;
    }
  })();
  return {
    get turns() {
      return turns;
    },
    stop: () => (running = false),
  };
}

describe('admitting a request', () => {
  it('gives the event loop turns while it filters, validates and hands on the records', async () => {
    const count = 10 * ADMISSION_SLICE_RECORDS;
    const body = await request(count);
    const counter = turnCounter();
    const seen = { filter: [] as number[], mapRecord: [] as number[], emit: -1 };
    const sink = holdingSink(() => (seen.emit = counter.turns));
    const context = receiverContext(sink, () => seen.filter.push(counter.turns) > 0, {
      mapRecord: (_record, mapped) => {
        seen.mapRecord.push(counter.turns);
        return mapped;
      },
    });
    const client = { name: 'shop', eventSources: ['shop.example'] };

    const outcome = await receiveLogs(context, body, 'protobuf', client);
    counter.stop();

    expect(outcome).toEqual({ kind: 'accepted', partialSuccess: undefined });
    expect(sink.entries).toHaveLength(count);
    expect(sink.entries[0]!.record.attributes['audit.additional_event_data']).toEqual({
      bridgeClient: 'shop',
    });
    // Each step spans several turns rather than holding the loop for the whole request in one (the pins
    // are checked, and ids decided, in the same slices as the mapping).
    expect(seen.filter).toHaveLength(count);
    expect(seen.filter.at(-1)! - seen.filter[0]!).toBeGreaterThanOrEqual(9);
    expect(seen.mapRecord).toHaveLength(count);
    expect(seen.mapRecord.at(-1)! - seen.mapRecord[0]!).toBeGreaterThanOrEqual(9);
    expect(seen.emit).toBe(seen.mapRecord.at(-1));
  });

  it('admits one request at a time, so requests arriving together are checked against what the first emitted', async () => {
    const size = 10 * ADMISSION_SLICE_RECORDS;
    const [large, small] = [await request(size), await request(1)];
    const sink = holdingSink();
    const context = receiverContext(sink, () => true, {}, size);

    const outcomes = await Promise.all([
      receiveLogs(context, large, 'protobuf', undefined),
      receiveLogs(context, small, 'protobuf', undefined),
    ]);

    expect(outcomes[0].kind).toBe('accepted');
    expect(outcomes[1]).toMatchObject({
      kind: 'throttled',
      message: /export queue full \(1000 of maxQueueSize 1000/,
    });
    expect(sink.pendingRecords).toBe(size);
    expect(context.counters.throttledRequests).toBe(1);
  });

  it('counts what the sink holds once emitted, and throttles beyond maxQueueSize', async () => {
    const sink = holdingSink();
    const context = receiverContext(sink, () => true, {}, 2);
    const one = await request(1);

    expect((await receiveLogs(context, one, 'protobuf', undefined)).kind).toBe('accepted');
    expect((await receiveLogs(context, one, 'protobuf', undefined)).kind).toBe('accepted');
    expect((await receiveLogs(context, one, 'protobuf', undefined)).kind).toBe('throttled');
    expect(sink.pendingRecords).toBe(2);
  });
});
