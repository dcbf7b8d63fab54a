// A pino application whose audit logs reach CloudTrail Lake: @opentelemetry/instrumentation-pino sends
// every pino record to the OpenTelemetry logs SDK ("log sending"), and the exporter keeps those with
// `audit.*` fields. Ordinary pino logs still go to stdout and are skipped by the exporter.
import { createRequire } from 'node:module';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { pino as createPino } from 'pino';
import {
  CloudTrailLakeLogExporter,
  CloudTrailLakeLogRecordProcessor,
  RedactingLogRecordProcessor,
} from 'otel-cloudtrail-lake';

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

// Load pino after sdk.start() so the instrumentation patches it. (For `import pino from 'pino'` at the
// top of an ES module instead, start node with `--import @opentelemetry/instrumentation/hook.mjs`.)
const { pino } = createRequire(import.meta.url)('pino') as { pino: typeof createPino };
const log = pino();

log.info('payments service ready'); // not an audit event: skipped by the exporter

// #region readme
// pino's merging object becomes the record's attributes: nested objects stay maps.
log.info(
  {
    'audit.event_name': 'RefundPayment',
    'user.id': 'dave',
    'client.address': '198.51.100.23',
    'audit.request_parameters': { paymentId: 'pay_81f2', amount: 42.5, currency: 'EUR' },
    'audit.response_elements': { refundId: 're_3391' },
  },
  'refund issued',
);
// #endregion readme
log.warn(
  {
    'audit.event_name': 'RefundPayment',
    'user.id': 'erin',
    'client.address': '192.0.2.150',
    'audit.request_parameters': { paymentId: 'pay_77aa', amount: 9000, currency: 'EUR' },
    'audit.error_code': 'RefundLimitExceeded',
    'audit.error_message': 'refunds above 5000 EUR need a second approver',
  },
  'refund refused',
);

await sdk.shutdown();
