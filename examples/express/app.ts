// An Express app whose audited routes each write one audit event per request to CloudTrail Lake.
// npm install express @opentelemetry/api-logs @opentelemetry/sdk-logs otel-cloudtrail-lake
import type { Server } from 'node:http';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import express from 'express';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';
import { auditEvent } from './audit-middleware.js';

export const provider = new LoggerProvider({
  processors: [
    new CloudTrailLakeLogRecordProcessor({
      exporter: new CloudTrailLakeLogExporter({
        defaults: { eventSource: 'invoices.example.com', userIdentityType: 'Employee' },
      }),
    }),
  ],
});
const logger = provider.getLogger('invoices');

export const app = express();
app.delete('/invoices/:invoiceId', auditEvent(logger, 'DeleteInvoice'), (request, response) => {
  response.status(request.get('x-user') === undefined ? 403 : 204).end();
});

/** Starts the app on `port` (0: any free port). */
export function listen(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
  });
}
