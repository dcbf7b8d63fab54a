// Express middleware that writes one audit event per request, once the response is finished: who (the
// authenticated user), what (the route's event name and parameters), from where (client address, user
// agent) and the outcome (an error code for 4xx and 5xx answers).
// npm install express @opentelemetry/api-logs otel-cloudtrail-lake
import type { Logger } from '@opentelemetry/api-logs';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Audits every request that reaches the routes behind it as `eventName`. */
export function auditEvent(logger: Logger, eventName: string): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    response.once('finish', () => {
      const failed = response.statusCode >= 400;
      logger.emit({
        body: `${request.method} ${request.originalUrl} -> ${response.statusCode}`,
        attributes: {
          'audit.event_name': eventName,
          // A real service reads its verified session or token here.
          'user.id': request.get('x-user') ?? 'anonymous',
          'client.address': request.ip ?? 'unknown',
          'user_agent.original': request.get('user-agent') ?? 'unknown',
          'audit.request_parameters': { ...request.params },
          ...(failed ? { 'audit.error_code': `HTTP${response.statusCode}` } : {}),
        },
      });
    });
    next();
  };
}
