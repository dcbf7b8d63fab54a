// A small node:http document service with audited routes. Run it with
// OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN set (and OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT for the
// emulator), then: curl -X DELETE -H 'Authorization: Bearer user:alice' localhost:3000/documents/42
// SIGTERM or Ctrl+C flushes the audit events that are still queued before the process ends.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  CloudTrailLakeLogExporter,
  CloudTrailLakeLogRecordProcessor,
  RedactingLogRecordProcessor,
} from 'otel-cloudtrail-lake';
import { audited, authenticatedUser, type Handler } from './audit-middleware.js';

const provider = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': 'documents.example.com' }),
  processors: [
    new RedactingLogRecordProcessor(),
    new CloudTrailLakeLogRecordProcessor({
      exporter: new CloudTrailLakeLogExporter({ defaults: { userIdentityType: 'Employee' } }),
      shutdownOnSignals: true,
    }),
  ],
});
const logger = provider.getLogger('documents');

const documents = new Map([['42', { title: 'Q3 report', owner: 'alice' }]]);

const getDocument: Handler = (_request, response, { id = '' }) => {
  const document = documents.get(id);
  response.writeHead(document === undefined ? 404 : 200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(document ?? { error: 'not found' }));
};

const deleteDocument: Handler = (request, response, { id = '' }) => {
  const document = documents.get(id);
  if (document === undefined) response.writeHead(404);
  else if (document.owner !== authenticatedUser(request)) response.writeHead(403);
  else {
    documents.delete(id);
    response.writeHead(204);
  }
  response.end();
};

const routes: Array<{ method: string; pattern: RegExp; handler: Handler }> = [
  {
    method: 'GET',
    pattern: /^\/documents\/(?<id>[\w-]+)$/,
    handler: audited(logger, 'GetDocument', getDocument),
  },
  {
    method: 'DELETE',
    pattern: /^\/documents\/(?<id>[\w-]+)$/,
    handler: audited(logger, 'DeleteDocument', deleteDocument),
  },
];

function route(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/health') {
    response.end('ok'); // not audited
    return;
  }
  for (const { method, pattern, handler } of routes) {
    const match = pattern.exec(path);
    if (match !== null && request.method === method) {
      void Promise.resolve(handler(request, response, { ...match.groups })).catch(() => {
        response.writeHead(500).end();
      });
      return;
    }
  }
  response.writeHead(404).end();
}

const server = createServer(route);
server.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  console.log(`documents service listening on http://127.0.0.1:${port}`);
});

// Stop accepting on SIGTERM; the processor's own handler flushes the queued audit events meanwhile,
// and the process ends once both are done.
process.once('SIGTERM', () => server.close());
process.once('SIGINT', () => server.close());
