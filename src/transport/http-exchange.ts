import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { abortReason } from '../internal/clock.js';
import type { ResolvedNetworkOptions } from './network-options.js';

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

export interface HttpExchange {
  /** Rejects with the underlying error (with its `code`) when no full response arrived, or with the abort reason. */
  exchange(
    url: URL,
    headers: Readonly<Record<string, string>>,
    body: Buffer,
    signal: AbortSignal,
  ): Promise<HttpResponse>;
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
}): HttpExchange {
  const own = options.network.dispatcher === undefined;
  const dispatcher = options.network.dispatcher ?? createDispatcher(options.network, options.maxSockets);

  return {
    async exchange(url, headers, body, signal) {
      try {
        const response = await request(url, { method: 'POST', headers, body, signal, dispatcher });
        const chunks: Buffer[] = [];
        let bytes = 0;
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          if (bytes <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        }
        return {
          statusCode: response.statusCode,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
      } catch (error) {
        // undici reports an abort as its own error; the caller wants the reason it aborted with.
        throw signal.aborted ? abortReason(signal) : unwrap(error);
      }
    },
    close() {
      if (own) void dispatcher.destroy().catch(() => undefined);
    },
  };
}

/** undici wraps some connection failures; the cause carries the errno (`ECONNREFUSED`, a TLS code). */
function unwrap(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (
    (code === undefined || code === 'UND_ERR_SOCKET') &&
    typeof (cause as { code?: unknown })?.code === 'string'
  ) {
    return cause;
  }
  return error;
}
