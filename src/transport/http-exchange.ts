import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { abortReason, type Clock } from '../internal/clock.js';
import type { ResolvedNetworkOptions } from './network-options.js';

type DispatchController = Dispatcher.DispatchController;

/**
 * One HTTP request/response through undici (the HTTP client of Node's own `fetch`), with keep-alive
 * connections, proxies from the environment (EnvHttpProxyAgent: `https_proxy`, `http_proxy`,
 * `no_proxy`), extra CAs and a client certificate. Certificate checks are forced on
 * (`rejectUnauthorized: true`) even if NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the process: audit
 * events and signed requests never go to an unverified peer.
 */

export interface HttpResponse {
  statusCode: number;
  /** Lower-cased names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
}

/** One POST, with what ends it early. */
export interface HttpRequest {
  url: URL;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  /** The caller's: aborting it ends the exchange at once with its reason. */
  signal: AbortSignal;
  /** The longest the whole exchange may take, in milliseconds, on the exchange's clock. */
  timeoutMillis: number;
  /** The error the exchange rejects with when `timeoutMillis` passes; made only then. */
  timedOut: () => Error;
}

export interface HttpExchange {
  /**
   * Rejects with the underlying error (with its `code`) when no full response arrived, with the abort
   * reason when `signal` aborts first, or with `timedOut()`.
   */
  exchange(request: HttpRequest): Promise<HttpResponse>;
  /** Closes idle and open connections of the built-in dispatcher (not of a dispatcher given as an option). */
  close(): void;
}

/** Responses larger than this are cut, in bytes: a PutAuditEvents answer for 100 events is a few kB. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** The built-in dispatcher: keep-alive connections per origin, through a proxy when the environment names one. */
function createDispatcher(network: ResolvedNetworkOptions, maxSockets: number): Dispatcher {
  const tls = {
    rejectUnauthorized: true,
    // `ca` replaces Node's roots, so the extra CAs are added to them, as NODE_EXTRA_CA_CERTS does.
    ...(network.ca.length > 0 ? { ca: [...rootCertificates, ...network.ca] } : {}),
    ...(network.clientCertificate === undefined ? {} : { cert: network.clientCertificate }),
    ...(network.clientKey === undefined ? {} : { key: network.clientKey }),
  };
  const { httpsProxy, httpProxy, noProxy } = network.proxy;
  if (httpsProxy === '' && httpProxy === '') return new Agent({ connections: maxSockets, connect: tls });
  // Through a proxy, `requestTls` secures the tunnelled connection to the endpoint, `proxyTls` an https proxy.
  return new EnvHttpProxyAgent({
    httpsProxy,
    httpProxy,
    noProxy,
    connections: maxSockets,
    connect: tls,
    requestTls: tls,
    proxyTls: tls,
  });
}

export function createHttpExchange(options: {
  maxSockets: number;
  network: ResolvedNetworkOptions;
  clock: Clock;
}): HttpExchange {
  const { clock } = options;
  const own = options.network.dispatcher === undefined;
  const dispatcher = options.network.dispatcher ?? createDispatcher(options.network, options.maxSockets);

  return {
    exchange({ url, headers, body, signal, timeoutMillis, timedOut }) {
      return new Promise<HttpResponse>((resolve, reject) => {
        if (signal.aborted) {
          reject(abortReason(signal));
          return;
        }
        let controller: DispatchController | undefined;
        let abortedWith: Error | undefined;
        let statusCode = 0;
        let responseHeaders: HttpResponse['headers'] = {};
        let chunks: Buffer[] = [];
        let bytes = 0;
        let settled = false;
        const settle = (): boolean => {
          if (settled) return false;
          settled = true;
          clock.clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          return true;
        };
        // Ends the wait at once; the request itself is aborted as soon as undici hands over its controller.
        const stop = (reason: Error): void => {
          if (!settle()) return;
          abortedWith = reason;
          controller?.abort(reason);
          reject(reason);
        };
        const onAbort = (): void => stop(abortReason(signal));
        const timer = clock.setTimeout(() => stop(timedOut()), timeoutMillis);
        signal.addEventListener('abort', onAbort, { once: true });
        // undici's low-level handler API: `request()` would add a body stream, an async iterator and its
        // own abort-signal listeners per request, which a response of a few kB read whole does not need.
        try {
          dispatcher.dispatch(
            { origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers, body },
            {
              onRequestStart(started) {
                controller = started;
                if (abortedWith !== undefined) started.abort(abortedWith);
              },
              onResponseStart(_controller, code, received) {
                // Called again after a 1xx answer: only the final response counts.
                statusCode = code;
                responseHeaders = received;
                chunks = [];
                bytes = 0;
              },
              onResponseData(_controller, chunk) {
                bytes += chunk.length;
                if (bytes <= MAX_RESPONSE_BYTES) chunks.push(chunk);
              },
              onResponseEnd() {
                if (!settle()) return;
                const text = Buffer.concat(chunks).toString('utf8');
                resolve({ statusCode, headers: responseHeaders, body: text });
              },
              onResponseError(_controller, error) {
                if (settle()) reject(unwrap(error));
              },
            },
          );
        } catch (error) {
          // undici's own dispatchers report through onResponseError; another one may throw instead.
          if (settle()) reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    close() {
      if (own) void dispatcher.destroy().catch(() => undefined);
    },
  };
}

/** undici wraps some connection failures; the cause carries the errno (`ECONNREFUSED`, a TLS code). */
function unwrap(error: Error): Error {
  const code = (error as { code?: unknown }).code;
  const cause: unknown = error.cause;
  if (
    (code === undefined || code === 'UND_ERR_SOCKET') &&
    cause instanceof Error &&
    typeof (cause as { code?: unknown }).code === 'string'
  ) {
    return cause;
  }
  return error;
}
