import { Server, type ServerCredentials, type handleUnaryCall } from '@grpc/grpc-js';
import type { ResolvedBridgeOptions } from './bridge-options.js';
import { LOGS_SERVICE } from './grpc-logs-service.js';

/** The bridge's OTLP/gRPC port, listening. */
export interface GrpcLogsServer {
  /** E.g. `http://127.0.0.1:4317` (`https://` with TLS): what an OTLP/gRPC exporter's `url` takes. */
  readonly url: string;
  /** Stops taking calls and resolves when the ones in progress have been answered. */
  shutdown(): Promise<void>;
  /** Cancels what is still in progress and closes every connection. */
  forceShutdown(): void;
}

/**
 * Listens for OTLP/gRPC logs on `grpcPort` of the bridge's `host`. A message above `maxBodyBytes` is
 * refused by grpc-js before the bridge sees it, compressed or once decompressed: grpc-js stops
 * inflating a gzip message as soon as it passes `grpc.max_receive_message_length` (RESOURCE_EXHAUSTED,
 * which OTLP clients do not retry without RetryInfo). At most `maxConcurrentRequests` calls run at
 * once on one connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS), so one client waits for its own
 * earlier calls instead of being refused.
 */
export async function startGrpcLogsServer(
  options: ResolvedBridgeOptions,
  credentials: ServerCredentials,
  tls: boolean,
  handler: handleUnaryCall<Buffer, Buffer>,
): Promise<GrpcLogsServer> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
    'grpc.max_concurrent_streams': options.maxConcurrentRequests,
  });
  server.addService(LOGS_SERVICE, { Export: handler });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.grpcPort}`, credentials, (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    shutdown: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
    forceShutdown: () => server.forceShutdown(),
  };
}
