// The processor: queue-full drops counted and warned about, records still queued at shutdown, many
// small batches back to back, event ids decided in onEmit (carried beside the record, not written into
// it), the spool hook (append / ack / release / replay) and the memory spool's oldest pending age.
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../../src/cloudtrail-lake-log-record-processor.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createMemorySpool } from '../../src/spool/memory-spool.js';
import { auditAttributes, createPipeline, emulatorExporterOptions } from '../helpers/audit-pipeline.js';
import { captureDiag, type CapturedDiag } from '../helpers/capture-diag.js';
import { makeRecords } from '../helpers/log-records.js';
import { createRecordingSpool } from '../helpers/recording-spool.js';

describe('CloudTrailLakeLogRecordProcessor', () => {
  let emulator: Emulator;
  let diagLines: CapturedDiag;
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
    diagLines = captureDiag();
  });
  afterEach(async () => {
    diagLines.restore();
    await emulator.close();
  });

  it('counts every record a full queue drops, warns once, and never loses one silently', async () => {
    emulator.setFaults({ latencyMillis: 100 });
    const pipeline = createPipeline(
      emulator,
      {},
      { maxQueueSize: 10, maxExportBatchSize: 10, scheduledDelayMillis: 60_000 },
    );
    const emitted = 35;
    for (let i = 0; i < emitted; i++) pipeline.emit(auditAttributes(i));
    await pipeline.provider.forceFlush();
    const { exported, dropped } = pipeline.exporter.stats;
    expect(dropped).toBeGreaterThan(0);
    expect(exported + dropped).toBe(emitted);
    expect(emulator.events()).toHaveLength(exported);
    expect(diagLines.matching('warn', /Queue full \(maxQueueSize 10\)/)).toHaveLength(1);
    await pipeline.provider.shutdown();
  });

  it('exports the records still queued when the provider shuts down', async () => {
    const pipeline = createPipeline(emulator, {}, { scheduledDelayMillis: 60_000 });
    for (let i = 0; i < 250; i++) pipeline.emit(auditAttributes(i));
    expect(emulator.stats.putAuditEventsRequests).toBe(0);
    await pipeline.provider.shutdown();
    expect(emulator.events()).toHaveLength(250);
    expect(pipeline.exporter.stats).toMatchObject({ exported: 250, dropped: 0 });
  });

  it('exports many small batches back to back, each record exactly once', async () => {
    emulator.setFaults({ latencyMillis: 150 });
    const pipeline = createPipeline(
      emulator,
      { timeoutMillis: 5_000 },
      { exportTimeoutMillis: 6_000, maxExportBatchSize: 5, scheduledDelayMillis: 1 },
    );
    for (let i = 0; i < 30; i++) pipeline.emit(auditAttributes(i, { 'audit.id': `rec-${i}` }));
    await pipeline.provider.forceFlush();
    const ids = emulator.events().map((e) => e.eventData['UID'] as string);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    await pipeline.provider.shutdown();
  });

  it('gives records without a valid audit.id one id that the spool and the request share, without writing it into the record', async () => {
    const spool = createRecordingSpool();
    const exporter = new CloudTrailLakeLogExporter(emulatorExporterOptions(emulator), {});
    const processor = new CloudTrailLakeLogRecordProcessor({ exporter, spool }, {});
    const seen: unknown[] = [];
    // Registered after the adapter, it sees each record as the adapter left it.
    const observer: LogRecordProcessor = {
      onEmit: (record) => void seen.push(record.attributes['audit.id']),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'exporter-tests' }),
      processors: [processor, observer],
    });
    const logger = provider.getLogger('audit-tests');
    const emit = (attributes: Record<string, unknown>): void =>
      logger.emit({ eventName: 'user.login', attributes: attributes as Record<string, string> });
    emit(auditAttributes(1, { 'audit.id': 'has spaces' }));
    emit(auditAttributes(2, { 'audit.id': 'kept-id' }));
    emit({ 'not.audit': true });
    await provider.forceFlush();
    const sent = emulator
      .received()
      .flatMap((r) => r.auditEvents ?? [])
      .map((e) => e.id);
    expect(spool.appended).toHaveLength(2);
    expect(spool.appended).toContain('kept-id');
    expect(spool.appended.find((id) => id !== 'kept-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.sort()).toEqual([...spool.appended].sort());
    expect(spool.acked.sort()).toEqual([...spool.appended].sort());
    expect(spool.size).toBe(0);
    expect(seen).toEqual(['has spaces', 'kept-id', undefined]);
    await provider.shutdown();
    expect(spool.closed).toBe(1);
  });

  it('acks rejected records and releases the ones it gave up on', async () => {
    const spool = createRecordingSpool();
    emulator.setFaults({
      failEvents: [
        { id: 'bad', errorCode: 'InvalidData' },
        { id: 'slow', errorCode: 'Throttling' },
      ],
    });
    const pipeline = createPipeline(
      emulator,
      { retry: { maxAttempts: 2, initialBackoffMillis: 1, maxBackoffMillis: 1 } },
      { spool },
    );
    pipeline.emit(auditAttributes(1, { 'audit.id': 'good' }));
    pipeline.emit(auditAttributes(2, { 'audit.id': 'bad' }));
    pipeline.emit(auditAttributes(3, { 'audit.id': 'slow' }));
    await pipeline.provider.forceFlush();
    expect(spool.acked.sort()).toEqual(['bad', 'good']);
    expect(spool.released).toEqual(['slow']);
    await pipeline.provider.shutdown();
  });

  it('sends the records a spool kept from an earlier run at start, under their ids', async () => {
    const [record] = await makeRecords([auditAttributes(9, { 'audit.id': 'left-over-1' })]);
    const plain = {
      ...record!,
      hrTime: record!.hrTime,
      hrTimeObserved: record!.hrTimeObserved,
      resource: record!.resource,
    };
    const withoutId = {
      ...plain,
      attributes: auditAttributes(10),
      instrumentationScope: record!.instrumentationScope,
    };
    const spool = createRecordingSpool([
      { id: 'left-over-1', record: record! },
      { id: 'left-over-2', record: withoutId },
    ]);
    const pipeline = createPipeline(emulator, {}, { spool });
    await pipeline.provider.shutdown();
    expect(emulator.events().map((e) => e.eventData['UID'])).toEqual(['left-over-1', 'left-over-2']);
    expect(spool.acked).toEqual(['left-over-1', 'left-over-2']);
  });

  it('reports the append time of the oldest pending record as it is settled', async () => {
    let clockReads = 0;
    const spool = createMemorySpool(() => {
      clockReads += 1;
      return clockReads * 1_000;
    });
    const pipeline = createPipeline(
      emulator,
      {},
      { spool, scheduledDelayMillis: 60_000, maxExportBatchSize: 1_000 },
    );
    for (let i = 0; i < 3; i++) pipeline.emit(auditAttributes(i, { 'audit.id': `rec-${i}` }));
    // A memory spool gets the prepared events on the microtask after the emit() calls.
    await Promise.resolve();
    expect(spool.stats?.().oldestAppendedAtMillis).toBe(1_000);
    spool.ack(['rec-0']);
    expect(spool.stats?.()).toMatchObject({ records: 2, oldestAppendedAtMillis: 2_000 });
    expect(pipeline.processor.stats.spoolRecords).toBe(2);
    await pipeline.provider.shutdown();
  });

  it('keeps the event as it was at emit: a later processor changing the log record does not reach the Lake', async () => {
    const exporter = new CloudTrailLakeLogExporter(emulatorExporterOptions(emulator));
    const spool = createMemorySpool();
    const processor = new CloudTrailLakeLogRecordProcessor(
      { exporter, spool, scheduledDelayMillis: 60_000 },
      {},
    );
    // Runs after ours on the same record, while the record still waits in the queue.
    const mutating: LogRecordProcessor = {
      onEmit: (record) => record.setAttribute('audit.event_name', 'Changed'),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'exporter-tests' }),
      processors: [processor, mutating],
    });
    provider.getLogger('audit-tests').emit({
      attributes: auditAttributes(1, { 'audit.id': 'kept-1' }) as Record<string, string>,
    });
    await Promise.resolve();
    // What waits is the prepared event alone, under the record's id.
    spool.release(['kept-1']);
    const [held] = spool.takeReleased?.(1) ?? [];
    expect(held?.id).toBe('kept-1');
    expect(held?.record).toBeUndefined();
    expect(JSON.parse(held?.prepared?.eventData ?? '{}')).toMatchObject({ eventName: 'Login' });
    await provider.shutdown();
    expect(emulator.events().map((event) => event.eventData['eventName'])).toEqual(['Login']);
  });

  it('maps records on the microtask after the emit() calls, not inside them, and each one once', async () => {
    const mapped: string[] = [];
    const pipeline = createPipeline(
      emulator,
      {
        mapRecord: (record, eventData) => {
          mapped.push(String(record.attributes['audit.id']));
          return eventData;
        },
      },
      { scheduledDelayMillis: 60_000 },
    );
    for (let i = 0; i < 3; i++) pipeline.emit(auditAttributes(i, { 'audit.id': `m-${i}` }));
    expect(mapped).toEqual([]);
    expect(pipeline.processor.stats.ledger.pending).toBe(3);
    await Promise.resolve();
    expect(mapped).toEqual(['m-0', 'm-1', 'm-2']);
    await pipeline.provider.shutdown();
    expect(mapped).toHaveLength(3);
    expect(emulator.events()).toHaveLength(3);
  });

  it('keeps the memory spool empty once everything is settled', async () => {
    const spool = createMemorySpool();
    const pipeline = createPipeline(emulator, {}, { spool });
    for (let i = 0; i < 5; i++) pipeline.emit(auditAttributes(i));
    await Promise.resolve();
    expect(spool.size).toBe(5);
    await pipeline.provider.forceFlush();
    expect(spool.size).toBe(0);
    expect(await spool.replay()).toEqual([]);
    await pipeline.provider.shutdown();
  });
});
