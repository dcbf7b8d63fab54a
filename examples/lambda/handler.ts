// An AWS Lambda handler that writes one audit event per invocation. Lambda freezes the execution
// environment between invocations, so the batch processor's timer cannot be relied on: flush before
// returning. The provider is created once per environment (outside the handler) and reused.
// Configuration comes from the function's environment: OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN, and
// the function role's credentials, which Lambda puts in AWS_ACCESS_KEY_ID and friends.
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';

const provider = new LoggerProvider({
  processors: [
    new CloudTrailLakeLogRecordProcessor({
      exporter: new CloudTrailLakeLogExporter({
        defaults: { eventSource: 'orders.example.com', userIdentityType: 'Customer' },
      }),
    }),
  ],
});
const logger = provider.getLogger('orders-function');

/** The part of an API Gateway (REST) proxy event this handler reads. */
export interface ApiGatewayProxyEvent {
  httpMethod: string;
  path: string;
  pathParameters?: Record<string, string> | null;
  requestContext: {
    requestId: string;
    identity: { sourceIp: string; userAgent?: string | null };
    authorizer?: { principalId?: string } | null;
  };
}

export async function handler(event: ApiGatewayProxyEvent): Promise<{ statusCode: number; body: string }> {
  const orderId = event.pathParameters?.['orderId'];
  const statusCode = orderId === undefined ? 400 : 200;
  logger.emit({
    body: `${event.httpMethod} ${event.path} -> ${statusCode}`,
    attributes: {
      'audit.event_name': 'CancelOrder',
      'user.id': event.requestContext.authorizer?.principalId ?? 'anonymous',
      'client.address': event.requestContext.identity.sourceIp,
      'user_agent.original': event.requestContext.identity.userAgent ?? 'unknown',
      'audit.request_parameters': { orderId: orderId ?? null, requestId: event.requestContext.requestId },
      ...(statusCode >= 400 ? { 'audit.error_code': 'ValidationError' } : {}),
    },
  });
  await provider.forceFlush(); // before Lambda freezes the environment
  return { statusCode, body: JSON.stringify({ orderId: orderId ?? null }) };
}
