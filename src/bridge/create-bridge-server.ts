import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { ResolvedBridgeOptions } from './bridge-options.js';
import { watchTlsFiles, type BridgeTlsFiles } from './bridge-tls.js';

/** The bridge's HTTP or HTTPS server, not yet listening, and what stops its TLS file watch. */
export interface BridgeServer {
  server: ReturnType<typeof createHttpServer> | ReturnType<typeof createHttpsServer>;
  stopWatchingTls: () => void;
}

/**
 * An HTTP server, or HTTPS when TLS files are given (requiring client certificates when a client CA
 * is), with the timeouts and the connection cap that keep slow or numerous clients from holding it:
 * Node's own defaults let a client hold a socket for 300 s.
 */
export function createBridgeServer(
  options: ResolvedBridgeOptions,
  tls: BridgeTlsFiles | undefined,
  secureContext: SecureContextOptions | undefined,
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): BridgeServer {
  const serverOptions = {
    headersTimeout: options.headersTimeoutMillis,
    requestTimeout: options.requestTimeoutMillis,
    keepAliveTimeout: options.keepAliveTimeoutMillis,
    // Node checks both timeouts on this interval (default 30 s); check often enough to hold short ones.
    connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.floor(options.headersTimeoutMillis / 4))),
  };
  if (tls === undefined || secureContext === undefined) {
    const server = createHttpServer(serverOptions, handle);
    server.maxConnections = options.maxConnections;
    return { server, stopWatchingTls: () => undefined };
  }
  const clientCertificates = tls.tlsClientCa !== undefined;
  const server = createHttpsServer(
    {
      ...serverOptions,
      ...secureContext,
      requestCert: clientCertificates,
      rejectUnauthorized: clientCertificates,
    },
    handle,
  );
  server.maxConnections = options.maxConnections;
  return { server, stopWatchingTls: watchTlsFiles(server, tls, options.fileReloadIntervalMillis) };
}
