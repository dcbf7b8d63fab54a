import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULTS } from '../defaults.js';
import { ConfigError } from '../errors.js';
import { componentLogger } from '../internal/diag.js';
import { hasAuditAttribute } from '../mapping/audit-attributes.js';
import { createRedactor } from '../processors/redact.js';
import { authenticateCredentials, authenticateRequest } from './authenticate-request.js';
import {
  createBridgeCounters,
  lostRecords,
  metricsSnapshot,
  watchLostRecords,
  type BridgeCounters,
  type PipelineView,
} from './bridge-counters.js';
import { createPrometheusRegistry, registerBridgeMetrics } from './bridge-metrics.js';
import { resolveBridgeOptions, type BridgeOptions, type ResolvedBridgeOptions } from './bridge-options.js';
import { createBridgePipeline } from './bridge-pipeline.js';
import { readTlsFiles } from './bridge-tls.js';
import { createBridgeServer } from './create-bridge-server.js';
import type * as GrpcLogsServerModule from './grpc-logs-server.js';
import type { GrpcLogsServer } from './grpc-logs-server.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { loadBridgeClients, type LiveBridgeClients } from './load-bridge-clients.js';
import { createHttpLogsHandler } from './receive-http-logs.js';
import { createAuthFailureRecorder, createUnauthenticatedResponder } from './refuse-unauthenticated.js';
import { createRequestGate } from './request-gate.js';
import { writeErrorResponse } from './write-otlp-response.js';

export type { BridgeCounters } from './bridge-counters.js';

const logger = componentLogger('CloudTrailLakeBridge');

/** How a `close()` ended. */
export interface BridgeCloseResult {
  /** True when every record taken was settled (exported, or rejected for good) before the deadline. */
  drained: boolean;
  /** True when `drainTimeoutMillis` passed before the pipeline shut down. */
  deadlinePassed: boolean;
  /**
   * Records not exported when `close()` returned: still in flight after the deadline, or kept by a
   * durable spool (which sends them at the next start).
   */
  pendingRecords: number;
  /**
   * Records acknowledged to a client (200, not in `partialSuccess`) that CloudTrail Lake did not accept
   * and nothing keeps: rejected at export, or given up on without a durable spool (e.g. a wrong channel).
   */
  lostRecords: number;
}

/** A running OTLP (HTTP and gRPC) to CloudTrail Lake bridge. */
export interface Bridge {
  /** Base URL, e.g. `http://127.0.0.1:4318` (`https://` with TLS). */
  readonly url: string;
  /** The OTLP logs endpoint: `${url}/v1/logs`, what an OTLP/HTTP exporter's `url` option takes. */
  readonly logsUrl: string;
  /**
   * The OTLP/gRPC endpoint, e.g. `http://127.0.0.1:4317` (`https://` with TLS), what an OTLP/gRPC
   * exporter's `url` option takes; undefined when `grpc` is false.
   */
  readonly grpcUrl: string | undefined;
  readonly options: ResolvedBridgeOptions;
  readonly counters: Readonly<BridgeCounters>;
  /** Records accepted and not yet exported. */
  readonly pendingRecords: number;
  /** Records acknowledged and lost so far (see BridgeCloseResult.lostRecords). */
  readonly lostRecords: number;
  /** Exports what is queued and waits for it, while still serving. */
  drain(): Promise<void>;
  /**
   * Stops accepting (503, or UNAVAILABLE over gRPC, from then on), finishes requests in progress, exports the queue within
   * `drainTimeoutMillis` and shuts the exporter down. Idempotent.
   */
  close(): Promise<BridgeCloseResult>;
}

/**
 * Starts a server that receives OTLP/HTTP logs (`POST /v1/logs`, protobuf or JSON, gzip or not) and,
 * on `grpcPort`, OTLP/gRPC logs (`LogsService/Export`, gzip or not), keeps
 * the audit records the authenticated client may write, redacts them, and exports them to CloudTrail
 * Lake through a CloudTrailLakeLogRecordProcessor and a CloudTrailLakeLogExporter. Also serves
 * `GET /healthz`, `GET /readyz` and `GET /metrics` (Prometheus; authenticated like ingest).
 * @throws ConfigError for invalid options, or a non-loopback `host` without authentication unless
 *   `insecureNoAuth`; `CTL_ERR_SPOOL` when the spool directory is in use; the listen error when the port is taken.
 */
export async function startBridge(
  options: BridgeOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Bridge> {
  const resolved = resolveBridgeOptions(options, env);
  const clientCertificates = resolved.tlsClientCa !== undefined;
  if (resolved.authTokensFile === undefined && !clientCertificates && !isLoopbackHost(resolved.host)) {
    if (!resolved.insecureNoAuth) {
      throw new ConfigError(
        'host',
        `Refusing to listen on ${resolved.host} without authentication: anyone reaching it could write the audit trail. ` +
          'Give `authTokensFile` (--auth-tokens-file) or `tlsClientCa` (--tls-client-ca), or `insecureNoAuth` (--insecure-no-auth) to accept the risk',
      );
    }
    logger.warn(
      `Listening on ${resolved.host} WITHOUT authentication (insecureNoAuth): anyone who reaches it can write the audit trail`,
    );
  }
  const tls =
    resolved.tlsCert === undefined || resolved.tlsKey === undefined
      ? undefined
      : { tlsCert: resolved.tlsCert, tlsKey: resolved.tlsKey, tlsClientCa: resolved.tlsClientCa };
  const secureContext = tls === undefined ? undefined : readTlsFiles(tls);
  let clients: LiveBridgeClients | undefined;
  if (resolved.authTokensFile !== undefined)
    clients = loadBridgeClients(resolved.authTokensFile, resolved.fileReloadIntervalMillis);
  const redactor = resolved.redact === false ? undefined : createRedactor(resolved.redact);
  const filter = options.filter ?? options.exporterOptions?.filter ?? hasAuditAttribute;
  let pipeline;
  try {
    pipeline = createBridgePipeline(options, resolved.maxQueueSize, env);
  } catch (error) {
    clients?.close();
    throw error;
  }
  const { sink, mapping } = pipeline;
  const counters = createBridgeCounters();
  const pendingAtStart = sink.pendingRecords;
  const view = (): PipelineView => ({
    stats: sink.stats?.() ?? {},
    pending: sink.pendingRecords,
    pendingAtStart,
  });
  const registry = createPrometheusRegistry(() => metricsSnapshot(counters, view()));
  const removeOtelMetrics =
    options.meterProvider === undefined
      ? () => undefined
      : registerBridgeMetrics(options.meterProvider, () => metricsSnapshot(counters, view()));
  const receiver = { options: resolved, sink, counters, filter, redactor, mapping };
  const retryAfter = { 'Retry-After': String(resolved.retryAfterSeconds) };
  const gate = createRequestGate(resolved.maxConcurrentRequests, counters);
  const recordAuthFailure = createAuthFailureRecorder(counters);
  const refuse = createUnauthenticatedResponder(recordAuthFailure);

  const handleLogs = createHttpLogsHandler({
    receiver,
    gate,
    authenticate: (request) => authenticateRequest(request, clients?.current(), clientCertificates),
    refuse,
  });

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    const method = request.method ?? 'GET';
    if (path === '/v1/logs') {
      if (method === 'POST') return handleLogs(request, response);
      request.resume();
      return writeErrorResponse(response, 405, 'json', `${method} is not allowed on /v1/logs; use POST`, {
        Allow: 'POST',
      });
    }
    request.resume();
    if (path !== '/healthz' && path !== '/readyz' && path !== '/metrics') {
      return writeErrorResponse(
        response,
        404,
        'json',
        `no route for ${method} ${path}; OTLP logs go to POST /v1/logs`,
      );
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return writeErrorResponse(response, 405, 'json', `${method} is not allowed on ${path}; use GET`, {
        Allow: 'GET, HEAD',
      });
    }
    if (path === '/metrics') {
      const auth = authenticateRequest(request, clients?.current(), clientCertificates);
      if (!auth.ok) return refuse(request, response, auth.failure);
      void registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'Content-Type': registry.contentType });
          response.end(text);
        },
        (error: unknown) => {
          logger.error('Collecting /metrics failed; answered 500', error);
          writeErrorResponse(response, 500, 'json', 'internal error');
        },
      );
      return;
    }
    const full = sink.pendingRecords >= resolved.maxQueueSize;
    const ready = path === '/healthz' || (!gate.closing && !full);
    const status = gate.closing ? 'closing' : full ? 'queue full' : 'ok';
    response.writeHead(ready ? 200 : 503, {
      'Content-Type': 'application/json',
      ...(ready ? {} : retryAfter),
    });
    response.end(JSON.stringify({ status, pendingRecords: sink.pendingRecords }));
  }

  const { server, stopWatchingTls } = createBridgeServer(resolved, tls, secureContext, handle);
  const stopWatchingLoss = watchLostRecords(
    () => lostRecords(counters, view()),
    DEFAULTS.bridgeLossCheckIntervalMillis,
  );
  const release = (): void => {
    stopWatchingLoss();
    stopWatchingTls();
    clients?.close();
    removeOtelMetrics();
  };
  let grpcServer: GrpcLogsServer | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    if (resolved.grpcPort !== undefined) {
      const { startGrpcLogsServer } = await loadGrpcLogsServer();
      grpcServer = await startGrpcLogsServer(resolved, tls, secureContext, {
        receiver,
        gate,
        authenticate: (credentials) =>
          authenticateCredentials(credentials, clients?.current(), clientCertificates),
        recordAuthFailure,
      });
    }
  } catch (error) {
    // Nothing was accepted yet; release the exporter's resources before reporting, e.g., EADDRINUSE.
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    release();
    await sink.shutdown();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${tls === undefined ? 'http' : 'https'}://${host}:${address.port}`;
  logger.info(`OTLP/HTTP bridge listening on ${url}/v1/logs`);
  if (grpcServer !== undefined) logger.info(`OTLP/gRPC bridge listening on ${grpcServer.url}`);
  else logger.info('OTLP/gRPC is off (`grpc: false`, or the optional @grpc/grpc-js is not installed)');

  let closePromise: Promise<BridgeCloseResult> | undefined;
  async function close(): Promise<BridgeCloseResult> {
    gate.close();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // grpc-js answers calls in progress, then closes each connection (HTTP/2 GOAWAY) and the port.
    const grpcClosed = grpcServer?.shutdown();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), resolved.drainTimeoutMillis);
    });
    const drained = async (): Promise<'done'> => {
      await gate.settled();
      await sink.shutdown();
      return 'done';
    };
    const outcome = await Promise.race([drained(), deadline]);
    clearTimeout(timer);
    server.closeAllConnections();
    grpcServer?.forceShutdown();
    await Promise.all([serverClosed, grpcClosed]);
    release();
    const pendingRecords = sink.pendingRecords;
    const lost = lostRecords(counters, view());
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
    if (lost > 0) {
      logger.error(
        `${lost} log record(s) acknowledged to clients were not accepted by CloudTrail Lake and are lost ` +
          '(rejected at export, or given up on without a durable spool); see the exporter errors above',
      );
    }
    return {
      drained: !deadlinePassed && pendingRecords === 0,
      deadlinePassed,
      pendingRecords,
      lostRecords: lost,
    };
  }

  return {
    url,
    logsUrl: `${url}/v1/logs`,
    grpcUrl: grpcServer?.url,
    options: resolved,
    counters,
    get pendingRecords() {
      return sink.pendingRecords;
    },
    get lostRecords() {
      return lostRecords(counters, view());
    },
    drain: () => sink.forceFlush(),
    close: () => (closePromise ??= close()),
  };
}

/**
 * The OTLP/gRPC server, loaded only when OTLP/gRPC is on: `@grpc/grpc-js` is an optional dependency (it
 * brings protobufjs, whose install script an application that only exports should not run).
 */
async function loadGrpcLogsServer(): Promise<typeof GrpcLogsServerModule> {
  try {
    return await import('./grpc-logs-server.js');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new ConfigError(
      'grpc',
      'OTLP/gRPC needs the optional dependency @grpc/grpc-js; install it with `npm install @grpc/grpc-js`, or turn OTLP/gRPC off (`--no-grpc`)',
      { cause: error },
    );
  }
}
