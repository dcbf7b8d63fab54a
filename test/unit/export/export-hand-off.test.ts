// createExportHandOff on its own, against a stub real export whose results the test releases: when the
// batch processor gets its callback, what the real result still drives, and drain() waiting.
// The hand-off inside the processor, against the emulator, is in test/integration/processor-throughput.test.ts.
import { ExportResultCode, setGlobalErrorHandler, type ExportResult } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createExportHandOff } from '../../../src/export/export-hand-off.js';

type Callback = (result: ExportResult) => void;

function setup(maxConcurrentExports: number) {
  const started: Callback[] = [];
  const handOff = createExportHandOff({
    maxConcurrentExports,
    export: (_logs, callback) => void started.push(callback),
    shutdown: () => Promise.resolve(),
  });
  const sdkResults: Array<ExportResult | undefined> = [];
  const exportOne = (): number => {
    const index = sdkResults.push(undefined) - 1;
    handOff.exporter.export([], (result) => {
      sdkResults[index] = result;
    });
    return index;
  };
  return { handOff, started, sdkResults, exportOne };
}

const failed = (message: string): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: new Error(message),
});

describe('createExportHandOff', () => {
  afterEach(() => setGlobalErrorHandler(() => undefined));

  it('calls the batch processor back at once while fewer than the limit run, then when one finishes', () => {
    const { handOff, started, sdkResults, exportOne } = setup(2);
    exportOne();
    expect(sdkResults[0]).toEqual({ code: ExportResultCode.SUCCESS });
    exportOne();
    expect(started).toHaveLength(2);
    expect(sdkResults[1]).toBeUndefined();
    expect(handOff.inFlight).toBe(2);

    started[0]!({ code: ExportResultCode.SUCCESS });
    expect(handOff.inFlight).toBe(1);
    expect(sdkResults[1]).toEqual({ code: ExportResultCode.SUCCESS });
  });

  it('with a limit of 1 waits for each export and passes its real result on', () => {
    const { started, sdkResults, exportOne } = setup(1);
    exportOne();
    expect(sdkResults[0]).toBeUndefined();
    const result = failed('service down');
    started[0]!(result);
    expect(sdkResults[0]).toBe(result);
  });

  it('reports the failure of an export the batch processor no longer waits for to the global error handler', () => {
    const reported: unknown[] = [];
    setGlobalErrorHandler((error) => reported.push(error));
    const { started, sdkResults, exportOne } = setup(2);
    exportOne();
    expect(sdkResults[0]?.code).toBe(ExportResultCode.SUCCESS);
    started[0]!(failed('throttled for good'));
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toBe('throttled for good');
    started[0]!({ code: ExportResultCode.SUCCESS });
    expect(reported).toHaveLength(1);
  });

  it('drain() resolves only once every export has its real result', async () => {
    const { handOff, started, exportOne } = setup(3);
    exportOne();
    exportOne();
    let drained = false;
    void handOff.drain().then(() => (drained = true));
    started[1]!({ code: ExportResultCode.SUCCESS });
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    started[0]!({ code: ExportResultCode.SUCCESS });
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(true);
    expect(handOff.inFlight).toBe(0);
  });

  it('lets the batch processor flush without waiting between batches (the processor drains instead)', async () => {
    const { handOff, exportOne } = setup(2);
    exportOne();
    let flushed = false;
    await handOff.exporter.forceFlush().then(() => (flushed = true));
    expect(flushed).toBe(true);
    expect(handOff.inFlight).toBe(1);
  });

  it('hands back an export whose real result came before export() returned, with that result', () => {
    const handOff = createExportHandOff({
      maxConcurrentExports: 2,
      export: (_logs, callback) => callback(failed('rejected at once')),
      shutdown: () => Promise.resolve(),
    });
    const results: ExportResult[] = [];
    handOff.exporter.export([], (result) => results.push(result));
    expect(results).toHaveLength(1);
    expect(results[0]?.error?.message).toBe('rejected at once');
    expect(handOff.inFlight).toBe(0);
  });
});
