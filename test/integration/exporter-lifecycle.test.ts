// The exporter's contract with the SDK: shutdown with no export, double shutdown, export after shutdown
// (fails through the callback), forceFlush waiting and never rejecting, shutdown bounded by the deadline,
// overlapping exports under the concurrency bound, and a throwing onRejected. Faults are in exporter-faults.
import { ExportResultCode } from '@opentelemetry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { PutAuditEventsFunction } from '../../src/transport/transport.js';
import { auditAttributes, emulatorExporterOptions } from '../helpers/audit-pipeline.js';
import { captureDiag, type CapturedDiag } from '../helpers/capture-diag.js';
import { exportOnce, makeRecords } from '../helpers/log-records.js';

describe('exporter lifecycle', () => {
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
  const newExporter = (options = {}) =>
    new CloudTrailLakeLogExporter(emulatorExporterOptions(emulator, options), {});

  it('shuts down with no export, twice, and then fails exports through the callback with CTL_ERR_SHUTDOWN', async () => {
    const exporter = newExporter();
    await exporter.shutdown();
    await exporter.shutdown();
    const records = await makeRecords([auditAttributes(1)]);
    const results: Array<{ code: number; error?: Error }> = [];
    expect(() => exporter.export(records, (result) => results.push(result))).not.toThrow();
    expect(results).toHaveLength(1);
    expect(results[0]!.code).toBe(ExportResultCode.FAILED);
    expect(results[0]!.error).toMatchObject({ code: 'CTL_ERR_SHUTDOWN' });
    expect(emulator.stats.putAuditEventsRequests).toBe(0);
  });

  it('waits in forceFlush for exports in flight, and forceFlush never rejects', async () => {
    emulator.setFaults({ latencyMillis: 100 });
    const exporter = newExporter();
    let done = false;
    exporter.export(await makeRecords([auditAttributes(1)]), () => {
      done = true;
    });
    await exporter.forceFlush();
    expect(done).toBe(true);
    emulator.setFaults({ outage: { mode: 'reset' } });
    exporter.export(await makeRecords([auditAttributes(2)]), () => undefined);
    await expect(exporter.forceFlush()).resolves.toBeUndefined();
    await exporter.shutdown();
  });

  it('lets shutdown finish an export in flight, within the export deadline', async () => {
    emulator.setFaults({ latencyMillis: 80 });
    const exporter = newExporter();
    const result = exportOnce(exporter, await makeRecords([auditAttributes(1), auditAttributes(2)]));
    await exporter.shutdown();
    expect((await result).code).toBe(ExportResultCode.SUCCESS);
    expect(emulator.events()).toHaveLength(2);
  });

  it('bounds shutdown by timeoutMillis when the service hangs', async () => {
    emulator.setFaults({ latencyMillis: 5_000 });
    const exporter = newExporter({ timeoutMillis: 200 });
    const result = exportOnce(exporter, await makeRecords([auditAttributes(1)]));
    await exporter.shutdown();
    // The service would have accepted the record after its latency: a failure means the deadline ended it.
    expect((await result).code).toBe(ExportResultCode.FAILED);
  });

  it('keeps overlapping exports correct and under maxConcurrentRequests in all', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: string[] = [];
    const putAuditEvents: PutAuditEventsFunction = async (input) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      seen.push(...input.auditEvents.map((e) => e.id));
      return { successful: input.auditEvents.map((e) => ({ id: e.id, eventID: `ev-${e.id}` })), failed: [] };
    };
    const exporter = newExporter({ putAuditEvents, maxConcurrentRequests: 3, maxEventsPerRequest: 2 });
    const batches = await Promise.all(
      [0, 1, 2, 3].map((b) =>
        makeRecords(
          Array.from({ length: 6 }, (_, i) => auditAttributes(b * 10 + i, { 'audit.id': `b${b}-${i}` })),
        ),
      ),
    );
    const results = await Promise.all(batches.map((records) => exportOnce(exporter, records)));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(maxInFlight).toBe(3);
    expect(seen).toHaveLength(24);
    expect(new Set(seen).size).toBe(24);
    expect(exporter.stats).toMatchObject({ exported: 24, requests: 12 });
    await exporter.shutdown();
  });

  it('survives an onRejected that throws, and still reports the rejection in the result', async () => {
    const exporter = newExporter({
      onRejected: () => {
        throw new Error('listener bug');
      },
    });
    const invalid = { 'audit.event_name': 'Login' }; // no user identity: rejected by validation
    const result = await exportOnce(exporter, await makeRecords([invalid, auditAttributes(2)]));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/1 accepted, 1 rejected/);
    expect(diagLines.matching('error', /onRejected threw/)).toHaveLength(1);
    expect(exporter.stats).toMatchObject({ exported: 1, rejected: 1 });
    expect(emulator.events()).toHaveLength(1);
    await exporter.shutdown();
  });
});
