// Loaded before the application with `node --import ./telemetry.js app.js`, so that pino, which the app
// imports at the top of an ES module, is patched when it loads. Two things make that work:
// - the ESM loader hook of @opentelemetry/instrumentation (import-in-the-middle), registered here with
//   `module.register`; `--import @opentelemetry/instrumentation/hook.mjs` alone only imports the hook's
//   functions and registers nothing;
// - the instrumentation is enabled (sdk.start()) before the app's first `import`.
// See https://github.com/open-telemetry/opentelemetry-js/blob/main/doc/esm-support.md
import { register } from 'node:module';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  CloudTrailLakeLogExporter,
  CloudTrailLakeLogRecordProcessor,
  RedactingLogRecordProcessor,
} from 'otel-cloudtrail-lake';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const sdk = new NodeSDK({
  serviceName: 'payments.example.com',
  instrumentations: [new PinoInstrumentation()],
  logRecordProcessors: [
    new RedactingLogRecordProcessor(),
    new CloudTrailLakeLogRecordProcessor({
      exporter: new CloudTrailLakeLogExporter({ defaults: { userIdentityType: 'Customer' } }),
      shutdownOnSignals: true,
    }),
  ],
});
sdk.start();

// An app that ends by itself (a job, a script) flushes once its event loop is empty.
process.once('beforeExit', () => void sdk.shutdown());
