import {
  Metadata,
  status,
  type handleUnaryCall,
  type ServerErrorResponse,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { componentLogger } from '../internal/diag.js';
import type { AuthResult, RequestCredentials } from './authenticate-request.js';
import { countBy, type BridgeCounters } from './bridge-counters.js';
import { encodeProtobufLogsResponse } from './otlp-logs-proto.js';
import { encodeStatusWithRetryInfo } from './grpc-status-details.js';
import type { AuthFailureRecorder } from './refuse-unauthenticated.js';
import { receiveLogs, type LogsOutcome, type LogsReceiverContext } from './receive-logs.js';
import type { RequestGate } from './request-gate.js';

const logger = componentLogger('CloudTrailLakeBridge');

/** The one OTLP/gRPC logs method (opentelemetry-proto, `collector/logs/v1/logs_service.proto`). */
export const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

const keep = (bytes: Buffer): Buffer => bytes;

/**
 * `LogsService` with the request kept as bytes: the bridge decodes it itself, after the limit scan that
 * runs before any object is built (`decodeLogsBody`), exactly as for OTLP/HTTP protobuf.
 */
export const LOGS_SERVICE: ServiceDefinition = {
  Export: {
    path: LOGS_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: keep,
    requestDeserialize: keep,
    responseSerialize: keep,
    responseDeserialize: keep,
    originalName: 'export',
  },
};

/** What the gRPC shell needs from the bridge around it. */
export interface GrpcLogsHandlerContext {
  receiver: LogsReceiverContext;
  gate: RequestGate;
  authenticate: (credentials: RequestCredentials) => AuthResult;
  recordAuthFailure: AuthFailureRecorder;
}

/** gRPC status of each refusal (https://opentelemetry.io/docs/specs/otlp/#failures-1). */
const REFUSAL_CODES = {
  throttled: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
  tooLarge: status.INVALID_ARGUMENT,
  invalid: status.INVALID_ARGUMENT,
} as const;

function refusal(code: status, message: string, retryAfterSeconds?: number): ServerErrorResponse {
  const metadata = new Metadata();
  // RetryInfo is what makes RESOURCE_EXHAUSTED retryable for an OTLP client; without it the client drops the data.
  if (retryAfterSeconds !== undefined) {
    metadata.set('grpc-status-details-bin', encodeStatusWithRetryInfo(code, message, retryAfterSeconds));
  }
  return Object.assign(new Error(message), { code, details: message, metadata });
}

function credentialsOf(call: ServerUnaryCall<Buffer, Buffer>): RequestCredentials {
  const [authorization] = call.metadata.get('authorization');
  const commonName: unknown = call.getAuthContext().sslPeerCertificate?.subject?.CN;
  return {
    authorization: typeof authorization === 'string' ? authorization : undefined,
    certificateCommonName: typeof commonName === 'string' && commonName !== '' ? commonName : undefined,
  };
}

/**
 * The OTLP/gRPC shell of {@link receiveLogs}: authenticates the call from its `authorization` metadata
 * or client certificate, like OTLP/HTTP, and answers with the outcome: the ExportLogsServiceResponse
 * (with `partial_success` when records were refused), or a status with RetryInfo when the client
 * should retry.
 */
export function createGrpcLogsHandler(context: GrpcLogsHandlerContext): handleUnaryCall<Buffer, Buffer> {
  const { receiver, gate } = context;
  const counters: BridgeCounters = receiver.counters;
  const { retryAfterSeconds } = receiver.options;
  return (call, callback) => {
    counters.requests++;
    const answer = (error: ServerErrorResponse | null, response?: Buffer): void => {
      countBy(counters.grpcRequestsByStatus, status[error?.code ?? status.OK]);
      callback(error, response);
    };
    const answerOutcome = (outcome: LogsOutcome): void => {
      if (outcome.kind === 'accepted') {
        answer(null, Buffer.from(encodeProtobufLogsResponse(outcome.partialSuccess)));
        return;
      }
      const retryable = outcome.kind === 'throttled' || outcome.kind === 'unavailable';
      answer(
        refusal(REFUSAL_CODES[outcome.kind], outcome.message, retryable ? retryAfterSeconds : undefined),
      );
    };
    const auth = context.authenticate(credentialsOf(call));
    if (!auth.ok) {
      context.recordAuthFailure(call.getPeer(), auth.failure);
      const message = 'authentication required: send authorization metadata `Bearer <token>`';
      answer(refusal(status.UNAUTHENTICATED, message));
      return;
    }
    const refused = gate.run(async () => {
      try {
        answerOutcome(
          await receiveLogs(receiver, { bytes: call.request, gzip: false }, 'protobuf', auth.client),
        );
      } catch (error) {
        logger.error('Unexpected error handling an OTLP/gRPC request; answered INTERNAL', error);
        answer(refusal(status.INTERNAL, 'internal error'));
      }
    });
    if (refused !== undefined) answerOutcome(refused);
  };
}
