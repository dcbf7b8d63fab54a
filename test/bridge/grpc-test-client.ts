// Test helper (not a test): OTLP/gRPC requests serialised by the OTel SDK, and one `LogsService/Export`
// call through grpc-js with them, for the bridge's OTLP/gRPC tests.
import {
  Client,
  Metadata,
  credentials as grpcCredentials,
  type ChannelCredentials,
  type ServiceError,
} from '@grpc/grpc-js';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { LOGS_EXPORT_PATH } from '../../src/bridge/grpc-logs-service.js';

/** The audit attributes of a record that maps to a valid audit event. */
export const AUDIT_ATTRIBUTES = Object.freeze({
  'audit.user_identity.type': 'Customer',
  'user.id': 'alice',
  'audit.recipient_account_id': '123456789012',
});

/** A protobuf ExportLogsServiceRequest of audit records named `names`, serialised by the OTel SDK. */
export async function exportRequest(names: string[]): Promise<Buffer> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'grpc-raw' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('raw');
  for (const name of names) logger.emit({ attributes: { 'audit.event_name': name, ...AUDIT_ATTRIBUTES } });
  await provider.forceFlush();
  return Buffer.from(ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!);
}

export interface CallResult {
  error?: ServiceError;
  response?: Buffer;
}

/** One `LogsService/Export` call through grpc-js, with the request already in bytes. */
export function exportCall(
  url: string,
  body: Buffer,
  options: { metadata?: Metadata; gzip?: boolean; credentials?: ChannelCredentials } = {},
): Promise<CallResult> {
  // 2 is gzip in grpc-js's compression algorithms.
  const channelOptions = options.gzip === true ? { 'grpc.default_compression_algorithm': 2 } : {};
  const channel = options.credentials ?? grpcCredentials.createInsecure();
  const client = new Client(new URL(url).host, channel, channelOptions);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      LOGS_EXPORT_PATH,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      body,
      options.metadata ?? new Metadata(),
      (error, response) => {
        client.close();
        resolve(error === null ? { response: response! } : { error });
      },
    );
  });
}
