// A pino application in an ES module whose audit logs reach CloudTrail Lake: start it with
// `node --import ./telemetry.js app.js`. @opentelemetry/instrumentation-pino sends every pino record to the
// OpenTelemetry logs SDK ("log sending"), and the exporter keeps those with `audit.*` fields. Ordinary
// pino logs still go to stdout and are skipped by the exporter.
import { pino } from 'pino';

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
