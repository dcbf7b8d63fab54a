import type { ServerResponse } from 'node:http';
import type { AwsError } from './aws-error.js';

/** Writes a JSON answer with its length. */
export function sendJson(
  response: ServerResponse,
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export function sendAwsError(response: ServerResponse, error: AwsError): void {
  const headers: Record<string, string> = { 'x-amzn-errortype': error.type };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  sendJson(response, error.statusCode, { __type: error.type, message: error.message }, headers);
}
