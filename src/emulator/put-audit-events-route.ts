import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PutAuditEventsOutput } from '../mapping/audit-event.js';
import { AwsError } from './aws-error.js';
import type { EmulatorStatsCounter } from './emulator-stats.js';
import {
  handlePutAuditEvents,
  type PutAuditEventsContext,
  type ReceivedRequest,
} from './handle-put-audit-events.js';
import { sendAwsError, sendJson } from './http-response.js';
import type { ReceivedLog } from './received-log.js';

/**
 * The HTTP side of PutAuditEvents: read the body, apply the request's fault (reset, latency, outage,
 * throttling, 5xx), run the service logic, answer, count and record. One `ReceivedRequest` per request.
 */
export interface PutAuditEventsRouteDeps {
  context: PutAuditEventsContext;
  stats: EmulatorStatsCounter;
  /** Shared with the emulator object, which lists it in `received()`. */
  received: ReceivedLog;
  maxRequestBytes: number;
  /** A non-AWS error escaped the handler: an emulator bug, answered as 500. */
  onBug: (error: unknown) => void;
}

/**
 * Reads the body, refusing it before reading when `Content-Length` is above `maxBytes` and stopping a
 * chunked body once it passes `maxBytes`, so a huge upload costs neither memory nor the time to read it.
 * `totalBytes` is then the declared length, or what was counted when reading stopped.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<{ body: Buffer; totalBytes: number }> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.resolve({ body: Buffer.alloc(0), totalBytes: declared });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let totalBytes = 0;
    const onData = (chunk: Buffer): void => {
      totalBytes += chunk.length;
      chunks.push(chunk);
      if (totalBytes > maxBytes) {
        request.off('data', onData);
        request.pause();
        resolve({ body: Buffer.alloc(0), totalBytes });
      }
    };
    request.on('data', onData);
    request.on('end', () => resolve({ body: Buffer.concat(chunks), totalBytes }));
    request.on('error', reject);
  });
}

const delay = (millis: number): Promise<void> =>
  millis > 0 ? new Promise((resolve) => setTimeout(resolve, millis)) : Promise.resolve();

export function createPutAuditEventsRoute(
  deps: PutAuditEventsRouteDeps,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const record: ReceivedRequest = {
      requestId: response.getHeader('x-amzn-requestid') as string,
      receivedAtMillis: deps.context.now(),
      channelArn: undefined,
      externalId: undefined,
      accessKeyId: undefined,
      auditEvents: undefined,
      statusCode: 0,
      errorType: undefined,
      response: undefined,
    };
    deps.stats.count('putAuditEventsRequests');
    const { body, totalBytes } = await readBody(request, deps.maxRequestBytes);
    deps.stats.add('bytesReceived', totalBytes);
    const fault = deps.context.faults.decideRequest();
    if (fault.kind === 'reset') {
      deps.stats.count('resets');
      request.socket.resetAndDestroy();
      return;
    }
    let output: PutAuditEventsOutput | undefined;
    let error: AwsError | undefined;
    try {
      await delay(fault.latencyMillis);
      if (fault.kind === 'unavailable')
        throw new AwsError('ServiceUnavailableException', 'Service unavailable (injected outage).');
      if (fault.kind === 'throttle') {
        const init =
          fault.retryAfterSeconds === undefined
            ? { statusCode: fault.status }
            : { statusCode: fault.status, retryAfterSeconds: fault.retryAfterSeconds };
        throw new AwsError('ThrottlingException', 'Rate exceeded (injected fault).', init);
      }
      if (fault.kind === 'error') throw new AwsError(fault.errorType, fault.message);
      if (fault.kind === 'server-error') {
        throw new AwsError(
          fault.status === 503 ? 'ServiceUnavailableException' : 'InternalServerError',
          `Injected ${fault.status} fault.`,
          { statusCode: fault.status },
        );
      }
      if (totalBytes > deps.maxRequestBytes) {
        // The rest of the body was never read: the connection cannot carry another request.
        response.setHeader('connection', 'close');
        throw new AwsError(
          'ValidationException',
          `Request body is ${totalBytes} bytes, above the limit of ${deps.maxRequestBytes} bytes.`,
        );
      }
      output = await handlePutAuditEvents(
        { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
        deps.context,
        record,
        deps.maxRequestBytes,
      );
    } catch (caught) {
      error =
        caught instanceof AwsError
          ? caught
          : new AwsError('InternalServerError', 'Internal error in the emulator.');
      if (!(caught instanceof AwsError)) deps.onBug(caught);
    }
    if (error !== undefined) {
      deps.stats.countError(error.type);
      record.statusCode = error.statusCode;
      record.errorType = error.type;
      sendAwsError(response, error);
    } else if (output !== undefined) {
      deps.stats.add('acceptedEvents', output.successful.length);
      for (const failed of output.failed) deps.stats.countFailedEvent(failed.errorCode);
      record.statusCode = 200;
      record.response = output;
      sendJson(response, 200, output);
    }
    deps.received.add(record, body);
  };
  return async (request, response) => {
    deps.stats.enter();
    try {
      await handle(request, response);
    } finally {
      deps.stats.leave();
    }
  };
}
