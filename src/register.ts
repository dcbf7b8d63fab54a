/**
 * `otel-cloudtrail-lake/register`: zero-code set-up for an application that does not configure the
 * OpenTelemetry logs SDK itself.
 *
 *   node --import otel-cloudtrail-lake/register app.js     (ES modules)
 *   node --require otel-cloudtrail-lake/register app.js    (CommonJS; Node >= 20.19 loads ES modules with require)
 *
 * Every setting comes from the environment (`OTEL_EXPORTER_CLOUDTRAIL_LAKE_*`, `OTEL_BLRP_*`,
 * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, the AWS credential chain). It builds a LoggerProvider
 * whose only processor is the CloudTrail Lake processor, installs it as the global logger provider of the
 * logs API, and flushes on SIGTERM/SIGINT and when the event loop empties. An application that already
 * sets up the SDK (for example with NodeSDK) adds the processor to its own `logRecordProcessors` instead:
 * only one global logger provider can be installed.
 *
 * The global is installed on every logs API the application may import: `@opentelemetry/api` from 1.10
 * (the OTel JS 3.x line) and `@opentelemetry/api-logs` (the 0.2xx line), whichever are installed.
 */
import { createRequire } from 'node:module';
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter } from './cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from './cloudtrail-lake-log-record-processor.js';
import { componentLogger } from './internal/diag.js';

const logger = componentLogger('otel-cloudtrail-lake/register');

interface LogsApi {
  setGlobalLoggerProvider(provider: unknown): unknown;
}

/**
 * The logs API objects that are installed next to the application; a missing package is skipped. Loaded
 * with `require` (both packages ship CommonJS) because this module must not use top-level await: Node
 * refuses `--require` of an ES module that does (ERR_REQUIRE_ASYNC_MODULE).
 */
function installedLogsApis(): LogsApi[] {
  const require = createRequire(import.meta.url);
  const apis: LogsApi[] = [];
  for (const name of ['@opentelemetry/api', '@opentelemetry/api-logs']) {
    try {
      const module = require(name) as { logs?: LogsApi };
      if (typeof module.logs?.setGlobalLoggerProvider === 'function') apis.push(module.logs);
    } catch {
      // Not installed: the application cannot log through it either.
    }
  }
  return apis;
}

/**
 * Rejected and dropped records must be visible without code, so this entry installs a console diag logger
 * at `OTEL_LOG_LEVEL` (default `warn`), as the NodeSDK does for its own zero-code set-up.
 */
function diagLevel(value: string | undefined): DiagLogLevel {
  const level = (DiagLogLevel as unknown as Record<string, DiagLogLevel | undefined>)[
    (value ?? '').trim().toUpperCase()
  ];
  return level ?? DiagLogLevel.WARN;
}
diag.setLogger(new DiagConsoleLogger(), {
  logLevel: diagLevel(process.env['OTEL_LOG_LEVEL']),
  suppressOverrideMessage: true,
});

// The resource as the NodeSDK builds it from the environment: `OTEL_SERVICE_NAME` (the events'
// `eventSource`) and `OTEL_RESOURCE_ATTRIBUTES` apply without code.
const provider = new LoggerProvider({
  resource: defaultResource().merge(detectResources({ detectors: [envDetector] })),
  processors: [
    new CloudTrailLakeLogRecordProcessor({
      exporter: new CloudTrailLakeLogExporter(),
      shutdownOnSignals: true,
    }),
  ],
});

const apis = installedLogsApis();
if (apis.length === 0) {
  logger.error(
    'otel-cloudtrail-lake/register found no OpenTelemetry logs API; install @opentelemetry/api (>= 1.10) or @opentelemetry/api-logs',
  );
}
for (const api of apis) api.setGlobalLoggerProvider(provider);

// The batch processor's timer does not keep the process alive, so a script that ends on its own would
// leave its last records queued: flush once when the event loop is about to empty.
process.once('beforeExit', () => {
  provider.shutdown().catch((error: unknown) => logger.error('Flushing audit records at exit failed', error));
});
