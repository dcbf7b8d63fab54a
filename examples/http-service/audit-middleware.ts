// An audit middleware for a node:http service: each request to an audited route becomes one audit
// event once the response is finished, with who (the authenticated user), what (the route's event
// name and the request parameters), from where (client address, user agent) and the outcome.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@opentelemetry/api-logs';

export type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  params: Record<string, string>,
) => void | Promise<void>;

/** Who made the request; a real service reads its session or verified token here. */
export function authenticatedUser(request: IncomingMessage): string | undefined {
  const match = /^Bearer user:([\w.-]+)$/.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** Wraps `handler` so that every call to it is audited as `eventName`. */
export function audited(logger: Logger, eventName: string, handler: Handler): Handler {
  return async (request, response, params) => {
    response.once('finish', () => {
      const failed = response.statusCode >= 400;
      logger.emit({
        severityText: failed ? 'WARN' : 'INFO',
        body: `${request.method ?? 'GET'} ${request.url ?? '/'} -> ${response.statusCode}`,
        attributes: {
          'audit.event_name': eventName,
          'user.id': authenticatedUser(request) ?? 'anonymous',
          'client.address': request.socket.remoteAddress ?? 'unknown',
          'user_agent.original': request.headers['user-agent'] ?? 'unknown',
          // The Authorization header is here on purpose: the redaction processor hides its value.
          'audit.request_parameters': {
            ...params,
            method: request.method ?? 'GET',
            authorization: request.headers.authorization ?? '',
          },
          'audit.response_elements': { statusCode: response.statusCode },
          ...(failed ? { 'audit.error_code': `HTTP${response.statusCode}` } : {}),
        },
      });
    });
    await handler(request, response, params);
  };
}
