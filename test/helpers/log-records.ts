// Real sdk-logs records for tests that call exporter.export() directly: emitted through a LoggerProvider
// into an InMemoryLogRecordExporter, so they have the exact shape the batch processor hands over.
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';

/** Emits one record per attribute set and returns the records as an exporter would receive them. */
export async function makeRecords(
  attributeSets: ReadonlyArray<Record<string, unknown>>,
): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'exporter-tests' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('audit-tests');
  for (const attributes of attributeSets) {
    logger.emit({ eventName: 'user.login', attributes: attributes as Record<string, string> });
  }
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords().slice();
  await provider.shutdown();
  return records;
}

/** Calls `exporter.export` and resolves with its result; fails the test if the callback runs twice. */
export function exportOnce(exporter: LogRecordExporter, records: ReadableLogRecord[]): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    let calls = 0;
    exporter.export(records, (result) => {
      calls += 1;
      if (calls > 1) reject(new Error('resultCallback called more than once'));
      else setTimeout(() => resolve(result), 0);
    });
  });
}
