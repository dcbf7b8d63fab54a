import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { componentLogger } from '../internal/diag.js';
import { hasAuditAttribute } from '../mapping/audit-attributes.js';
import { createRedactor } from '../processors/redact.js';
import { resolveBridgeOptions, type BridgeOptions, type ResolvedBridgeOptions } from './bridge-options.js';
import { createBridgePipeline } from './bridge-pipeline.js';
import { redactAndValidate, selectAuditRecords } from './admit-records.js';
import { decodeLogsRequest, encodingOf } from './decode-logs-request.js';
import { OtlpDecodeError, type BridgeLogRecord } from './otlp-to-audit-log-records.js';
import { BodyError } from './read-body.js';
import { writeErrorResponse, writeExportResponse } from './write-otlp-response.js';

const logger = componentLogger('CloudTrailLakeBridge');

/** Counters of a running bridge since it started. */
export interface BridgeCounters {
  /** POST /v1/logs requests answered, whatever the status. */
  requests: number;
  /** OTLP log records decoded from accepted requests. */
  receivedRecords: number;
  /** Records handed to the export pipeline. */
  acceptedRecords: number;
  /** Records without `audit.*` attributes (or refused by `filter`), skipped quietly. */
  skippedRecords: number;
  /** Records refused and reported in `partialSuccess.rejectedLogRecords` (invalid, or dropped by a full spool). */
  rejectedRecords: number;
  /** Requests answered 429 because the queue was full. */
  throttledRequests: number;
}

/** How a `close()` ended. */
export interface BridgeCloseResult {
  /** True when everything accepted was exported (or settled for good) before the deadline. */
  drained: boolean;
  /** True when `drainTimeoutMillis` passed before the pipeline shut down. */
  deadlinePassed: boolean;
  /**
   * Records not exported when `close()` returned: still in flight after the deadline, or kept by a
   * durable spool (which sends them at the next start).
   */
  pendingRecords: number;
}

/** A running OTLP/HTTP to CloudTrail Lake bridge. */
export interface Bridge {
  /** Base URL, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  /** The OTLP logs endpoint: `${url}/v1/logs`, what an OTLP exporter's `url` option takes. */
  readonly logsUrl: string;
  readonly options: ResolvedBridgeOptions;
  readonly counters: Readonly<BridgeCounters>;
  /** Records accepted and not yet exported. */
  readonly pendingRecords: number;
  /** Exports what is queued and waits for it, while still serving. */
  drain(): Promise<void>;
  /**
   * Stops accepting (503 from then on), finishes requests in progress, exports the queue within
   * `drainTimeoutMillis` and shuts the exporter down. Idempotent.
   */
  close(): Promise<BridgeCloseResult>;
}

/**
 * Starts an HTTP server that receives OTLP/HTTP logs (`POST /v1/logs`, protobuf or JSON, gzip or
 * not), keeps the audit records, redacts them, and exports them to CloudTrail Lake through a
 * CloudTrailLakeLogRecordProcessor and a CloudTrailLakeLogExporter. Also serves `GET /healthz` and
 * `GET /readyz`.
 * @throws ConfigError for invalid options; `CTL_ERR_SPOOL` when the spool directory is in use; the
 *   listen error when the port is taken.
 */
export async function startBridge(
  options: BridgeOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Bridge> {
  const resolved = resolveBridgeOptions(options, env);
  const redactor = resolved.redact === false ? undefined : createRedactor(resolved.redact);
  const filter = options.filter ?? options.exporterOptions?.filter ?? hasAuditAttribute;
  const { sink, intake } = createBridgePipeline(options, resolved.maxQueueSize, env);
  const counters: BridgeCounters = {
    requests: 0,
    receivedRecords: 0,
    acceptedRecords: 0,
    skippedRecords: 0,
    rejectedRecords: 0,
    throttledRequests: 0,
  };
  const retryAfter = { 'Retry-After': String(resolved.retryAfterSeconds) };
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  async function handleLogs(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const encoding = encodingOf(request);
    if (encoding === undefined) {
      request.resume();
      const type = request.headers['content-type'] ?? '';
      const message = `Content-Type \`${type}\` is not supported; use application/x-protobuf or application/json`;
      writeErrorResponse(response, 415, 'json', message);
      return;
    }
    if (closing) {
      request.resume();
      const headers = { ...retryAfter, Connection: 'close' };
      writeErrorResponse(response, 503, encoding, 'the bridge is shutting down', headers);
      return;
    }
    let records: BridgeLogRecord[];
    try {
      records = await decodeLogsRequest(request, encoding, resolved.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyError) {
        // The rest of an oversize body is not read: close the connection rather than drain it.
        const headers: Record<string, string> = error.statusCode === 413 ? { Connection: 'close' } : {};
        writeErrorResponse(response, error.statusCode, encoding, error.message, headers);
      } else if (error instanceof OtlpDecodeError) {
        writeErrorResponse(response, 400, encoding, `Not a valid ExportLogsServiceRequest: ${error.message}`);
      } else throw error;
      return;
    }

    const selected = selectAuditRecords(records, filter);
    const count = selected.records.length;
    if (count > resolved.maxQueueSize) {
      const message = `request holds ${count} audit records, above maxQueueSize (${resolved.maxQueueSize}); send smaller batches`;
      writeErrorResponse(response, 413, encoding, message);
      return;
    }
    // All or nothing: keeping part of a request would duplicate that part when the client retries.
    if (sink.pendingRecords + count > resolved.maxQueueSize) {
      counters.throttledRequests++;
      const message = `export queue full (${sink.pendingRecords} of maxQueueSize ${resolved.maxQueueSize} records pending); retry later`;
      writeErrorResponse(response, 429, encoding, message, retryAfter);
      return;
    }
    const admitted = redactAndValidate(selected, redactor, intake);
    const { records: ready, skipped, reasons } = admitted;
    // Backpressure keeps the processor's queue from filling; a full spool can still refuse records.
    const dropped = sink.emit(ready) ?? 0;
    if (dropped > 0) reasons.push(`${dropped} dropped because the bridge's spool is full`);
    const rejected = admitted.rejected + dropped;
    counters.receivedRecords += records.length;
    counters.acceptedRecords += ready.length - dropped;
    counters.skippedRecords += skipped;
    counters.rejectedRecords += rejected;
    const messages = [
      ...(rejected > 0 ? [`${rejected} log record(s) rejected: ${reasons.join('; ')}`] : []),
      ...(skipped > 0 ? [`${skipped} log record(s) carried no audit.* attribute and were skipped`] : []),
    ];
    const partialSuccess =
      messages.length === 0 ? undefined : { rejectedLogRecords: rejected, errorMessage: messages.join('; ') };
    writeExportResponse(response, encoding, partialSuccess);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    const method = request.method ?? 'GET';
    if (path === '/v1/logs') {
      if (method !== 'POST') {
        request.resume();
        writeErrorResponse(response, 405, 'json', `${method} is not allowed on /v1/logs; use POST`, {
          Allow: 'POST',
        });
        return;
      }
      counters.requests++;
      const task = handleLogs(request, response).catch((error: unknown) => {
        logger.error('Unexpected error handling an OTLP request; answered 500', error);
        writeErrorResponse(response, 500, 'json', 'internal error');
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      request.resume();
      if (method !== 'GET' && method !== 'HEAD') {
        writeErrorResponse(response, 405, 'json', `${method} is not allowed on ${path}; use GET`, {
          Allow: 'GET, HEAD',
        });
        return;
      }
      const full = sink.pendingRecords >= resolved.maxQueueSize;
      const ready = path === '/healthz' || (!closing && !full);
      const status = closing ? 'closing' : full ? 'queue full' : 'ok';
      response.writeHead(ready ? 200 : 503, {
        'Content-Type': 'application/json',
        ...(ready ? {} : retryAfter),
      });
      response.end(JSON.stringify({ status, pendingRecords: sink.pendingRecords }));
      return;
    }
    request.resume();
    writeErrorResponse(
      response,
      404,
      'json',
      `no route for ${method} ${path}; OTLP logs go to POST /v1/logs`,
    );
  }

  const server = createServer(handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // Nothing was accepted yet; release the exporter's resources before reporting, e.g., EADDRINUSE.
    await sink.shutdown();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info(`OTLP/HTTP bridge listening on ${url}/v1/logs`);

  let closePromise: Promise<BridgeCloseResult> | undefined;
  async function close(): Promise<BridgeCloseResult> {
    closing = true;
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), resolved.drainTimeoutMillis);
    });
    const drained = async (): Promise<'done'> => {
      await Promise.allSettled([...inFlight]);
      await sink.shutdown();
      return 'done';
    };
    const outcome = await Promise.race([drained(), deadline]);
    clearTimeout(timer);
    server.closeAllConnections();
    await serverClosed;
    const pendingRecords = sink.pendingRecords;
    const deadlinePassed = outcome === 'timeout';
    if (deadlinePassed) {
      logger.error(
        `Bridge closed after drainTimeoutMillis (${resolved.drainTimeoutMillis} ms) with ${pendingRecords} record(s) not exported`,
      );
    } else if (pendingRecords > 0) {
      logger.warn(
        `Bridge closed with ${pendingRecords} record(s) not delivered, kept in the spool for the next start`,
      );
    }
    return { drained: !deadlinePassed && pendingRecords === 0, deadlinePassed, pendingRecords };
  }

  return {
    url,
    logsUrl: `${url}/v1/logs`,
    options: resolved,
    counters,
    get pendingRecords() {
      return sink.pendingRecords;
    },
    drain: () => sink.forceFlush(),
    close: () => (closePromise ??= close()),
  };
}
