// Builds the real pipeline the integration tests drive: LoggerProvider -> processor -> exporter -> emulator.
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../../src/cloudtrail-lake-log-record-processor.js';
import type { CloudTrailLakeLogExporterOptions } from '../../src/options.js';
import type { CloudTrailLakeLogRecordProcessorOptions } from '../../src/cloudtrail-lake-log-record-processor.js';
import type { Emulator } from '../../src/emulator/index.js';

/** Static test credentials; the emulator accepts any signature unless it was given credentials. */
export const TEST_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDTESTEXPORTER0001',
  secretAccessKey: 'test-secret-do-not-log',
});

export interface Pipeline {
  provider: LoggerProvider;
  exporter: CloudTrailLakeLogExporter;
  processor: CloudTrailLakeLogRecordProcessor;
  emit(attributes: Record<string, unknown>, body?: unknown): void;
}

/** Exporter options pointing at `emulator`, with retries fast enough for tests. */
export function emulatorExporterOptions(
  emulator: Emulator,
  overrides: CloudTrailLakeLogExporterOptions = {},
): CloudTrailLakeLogExporterOptions {
  return {
    channelArn: emulator.channelArn,
    endpoint: emulator.url,
    credentials: TEST_CREDENTIALS,
    retry: { initialBackoffMillis: 5, maxBackoffMillis: 20 },
    ...overrides,
  };
}

export function createPipeline(
  emulator: Emulator,
  exporterOptions: CloudTrailLakeLogExporterOptions = {},
  processorOptions: Omit<CloudTrailLakeLogRecordProcessorOptions, 'exporter'> = {},
  env: Record<string, string | undefined> = {},
): Pipeline {
  const exporter = new CloudTrailLakeLogExporter(emulatorExporterOptions(emulator, exporterOptions), env);
  const processor = new CloudTrailLakeLogRecordProcessor({ exporter, ...processorOptions }, env);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'exporter-tests' }),
    processors: [processor],
  });
  const logger = provider.getLogger('audit-tests');
  return {
    provider,
    exporter,
    processor,
    emit(attributes, body) {
      logger.emit({
        eventName: 'user.login',
        body: body as string,
        attributes: attributes as Record<string, string>,
      });
    },
  };
}

/** The attributes of a valid audit record for user `n`. */
export function auditAttributes(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'audit.user_identity.type': 'User',
    'audit.user_identity.principal_id': `user-${n}`,
    'audit.event_name': 'Login',
    ...extra,
  };
}
