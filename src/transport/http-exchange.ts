import http from 'node:http';
import https from 'node:https';
import { abortReason } from '../internal/clock.js';

/**
 * One HTTP request/response over keep-alive agents, with the body read in full. Certificate checks are
 * forced on (`rejectUnauthorized: true`) even if NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the process:
 * audit events and signed requests never go to an unverified peer.
 */

export interface HttpResponse {
  statusCode: number;
  /** Lower-cased names, as node:http gives them. */
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpExchange {
  /** Rejects with the Node.js error (with its `code`) when no full response arrived, or with the abort reason. */
  exchange(
    url: URL,
    headers: Readonly<Record<string, string>>,
    body: Buffer,
    signal: AbortSignal,
  ): Promise<HttpResponse>;
  /** Closes idle and open sockets. */
  close(): void;
}

/** Responses larger than this are cut, in bytes: a PutAuditEvents answer for 100 events is a few kB. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export function createHttpExchange(options: { maxSockets: number }): HttpExchange {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent({ ...agentOptions, rejectUnauthorized: true });

  return {
    exchange(url, headers, body, signal) {
      return new Promise<HttpResponse>((resolve, reject) => {
        const isHttps = url.protocol === 'https:';
        const requestOptions: https.RequestOptions = {
          method: 'POST',
          headers,
          agent: isHttps ? httpsAgent : httpAgent,
          signal,
          ...(isHttps ? { rejectUnauthorized: true } : {}),
        };
        const request = (isHttps ? https : http).request(url, requestOptions, (response) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes <= MAX_RESPONSE_BYTES) chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () => {
            resolve({
              statusCode: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        });
        request.on('error', (error) => {
          // node:http reports an abort as its own AbortError; the caller wants the reason it aborted with.
          reject(signal.aborted ? abortReason(signal) : error);
        });
        request.end(body);
      });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
