import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { AwsError } from './aws-error.js';
import type { EmulatorCredential } from './emulator-options.js';
import { verifySignature, type VerifiedCaller } from './verify-signature.js';

/**
 * The checks every endpoint that a browser could reach goes through before its body is read:
 * - `Host` must name an address the emulator serves, so a page whose DNS name is rebound to 127.0.0.1
 *   cannot talk to it (https://en.wikipedia.org/wiki/DNS_rebinding);
 * - an `Origin` (or `Sec-Fetch-Site: cross-site`) from another site is refused, so a page in the
 *   developer's browser cannot send requests, even "simple" ones that need no CORS preflight
 *   (https://fetch.spec.whatwg.org/#cors-safelisted-request-header);
 * - the media type must be the endpoint's JSON type; `text/plain` is what a cross-site form or `fetch`
 *   can send without a preflight;
 * - a body above the limit is refused from `Content-Length` before it is read, or when a chunked body
 *   passes the limit while being counted.
 */

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Host header values (lower case, with port) the emulator answers to. */
export function servedHosts(boundHost: string, port: number, extra: readonly string[]): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', ...extra.map((name) => name.toLowerCase())]);
  const wildcard = boundHost === '0.0.0.0' || boundHost === '::';
  if (!wildcard) names.add(boundHost.includes(':') ? `[${boundHost}]` : boundHost.toLowerCase());
  else {
    names.add(hostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces()))
      for (const address of addresses ?? [])
        names.add(address.family === 'IPv6' ? `[${address.address}]` : address.address);
  }
  return new Set(
    [...names].flatMap((name) => (/:\d+$/.test(name) && !name.endsWith(']') ? [name] : [`${name}:${port}`])),
  );
}

export function checkHostAndOrigin(request: IncomingMessage, hosts: ReadonlySet<string>): void {
  const host = (header(request, 'host') ?? '').toLowerCase();
  if (!hosts.has(host))
    throw new AwsError('ForbiddenRequestException', `Host '${host}' is not an address this emulator serves.`);
  const origin = header(request, 'origin');
  if (origin !== undefined && origin !== 'null') {
    const originHost = URL.canParse(origin) ? new URL(origin).host.toLowerCase() : '';
    if (!hosts.has(originHost) || !origin.startsWith('http'))
      throw new AwsError(
        'ForbiddenRequestException',
        `Cross-origin requests are refused (Origin '${origin}').`,
      );
  } else if (origin === 'null' || header(request, 'sec-fetch-site') === 'cross-site') {
    throw new AwsError('ForbiddenRequestException', 'Cross-site requests are refused.');
  }
}

/** The media type without parameters must be one of `accepted`. */
export function checkContentType(request: IncomingMessage, accepted: readonly string[]): void {
  const type = (header(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!accepted.includes(type))
    throw new AwsError(
      'UnsupportedMediaTypeException',
      `Content-Type must be ${accepted.join(' or ')}, got '${type}'.`,
    );
}

/**
 * Reads the body up to `maxBytes`. Refuses by `Content-Length` before reading anything, and stops
 * reading a chunked body once it passes the limit; the caller answers and closes the connection.
 */
export async function readBodyWithin(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(header(request, 'content-length'));
  const tooLarge = (bytes: number): AwsError =>
    new AwsError(
      'RequestEntityTooLargeException',
      `Request body is ${bytes} bytes or more, above the limit of ${maxBytes} bytes.`,
    );
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(declared);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      request.pause();
      throw tooLarge(bytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface AdminAuthOptions {
  credentials: readonly EmulatorCredential[];
  adminToken: string;
  region: string;
  /** Signing names accepted in the credential scope. */
  services: readonly string[];
  nowMillis: number;
  maxClockSkewMillis: number;
  /** Whether a request with neither a token nor a signature passes when no credentials are configured. */
  openWithoutCredentials: boolean;
}

function sameToken(given: string, expected: string): boolean {
  const left = Buffer.from(given, 'utf8');
  const right = Buffer.from(expected, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * `Authorization: Bearer <admin token>` (compared in constant time), or a SigV4 signature checked as on
 * the data plane. Returns the signing caller, or undefined for the token or an open request.
 */
export function authorizeAdmin(
  request: IncomingMessage,
  body: Buffer,
  options: AdminAuthOptions,
): VerifiedCaller | undefined {
  const authorization = header(request, 'authorization') ?? '';
  if (/^bearer /i.test(authorization)) {
    if (!sameToken(authorization.slice(7).trim(), options.adminToken))
      throw new AwsError('UnrecognizedClientException', 'The admin token is not valid.');
    return undefined;
  }
  if (authorization === '' && options.credentials.length === 0 && options.openWithoutCredentials)
    return undefined;
  return verifySignature(
    { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
    {
      region: options.region,
      credentials: options.credentials,
      nowMillis: options.nowMillis,
      maxClockSkewMillis: options.maxClockSkewMillis,
      services: options.services,
    },
  );
}
