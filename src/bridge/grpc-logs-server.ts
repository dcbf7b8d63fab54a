import { Server } from '@grpc/grpc-js';
import type { SecureContextOptions } from 'node:tls';
import type { ResolvedBridgeOptions } from './bridge-options.js';
import type { BridgeTlsFiles } from './bridge-tls.js';
import { createGrpcLogsHandler, LOGS_SERVICE, type GrpcLogsHandlerContext } from './grpc-logs-service.js';
import { createGrpcServerCredentials } from './grpc-server-credentials.js';

/** The bridge's OTLP/gRPC port, listening. */
export interface GrpcLogsServer {
  /** E.g. `http://127.0.0.1:4317` (`https://` with TLS): what an OTLP/gRPC exporter's `url` takes. */
  readonly url: string;
  /** Stops taking calls and resolves when the ones in progress have been answered and the port is closed. */
  shutdown(): Promise<void>;
  /** Cancels what is still in progress and closes every connection. */
  forceShutdown(): void;
}

/**
 * Listens for OTLP/gRPC logs on `grpcPort` of the bridge's `host`, with the TLS files of the HTTP port.
 * A message above `maxBodyBytes` is refused by grpc-js before the bridge sees it, compressed or once
 * decompressed: grpc-js stops inflating a gzip message as soon as it passes
 * `grpc.max_receive_message_length` (RESOURCE_EXHAUSTED, which OTLP clients do not retry without
 * RetryInfo). At most `maxConcurrentRequests` calls run at once on one connection (HTTP/2
 * SETTINGS_MAX_CONCURRENT_STREAMS), so one client waits for its own earlier calls instead of being
 * refused. The bridge imports this module only when gRPC is on, so grpc-js is loaded only then.
 */
export async function startGrpcLogsServer(
  options: ResolvedBridgeOptions,
  tls: BridgeTlsFiles | undefined,
  secureContext: SecureContextOptions | undefined,
  context: GrpcLogsHandlerContext,
): Promise<GrpcLogsServer> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
    'grpc.max_concurrent_streams': options.maxConcurrentRequests,
  });
  server.addService(LOGS_SERVICE, { Export: createGrpcLogsHandler(context) });
  const { credentials, stopWatchingTls } = createGrpcServerCredentials(
    tls,
    secureContext,
    options.fileReloadIntervalMillis,
  );
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host}:${options.grpcPort ?? 0}`, credentials, (error, bound) =>
        error === null ? resolve(bound) : reject(error),
      );
    });
  } catch (error) {
    stopWatchingTls();
    server.forceShutdown();
    const message = `Could not listen for OTLP/gRPC on ${host}:${options.grpcPort} (grpcPort): ${(error as Error).message}`;
    throw new Error(message, { cause: error });
  }
  return {
    url: `${tls === undefined ? 'http' : 'https'}://${host}:${port}`,
    shutdown: () =>
      new Promise<void>((resolve) => {
        stopWatchingTls();
        server.tryShutdown(() => resolve());
      }),
    forceShutdown: () => {
      stopWatchingTls();
      server.forceShutdown();
    },
  };
}
