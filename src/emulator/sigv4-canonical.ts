import crypto from 'node:crypto';
import { sha256 } from '../internal/sha256.js';

/**
 * The SigV4 canonical request and signature, per the AWS guide
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 * Kept apart from the checks so the arithmetic can be read on its own.
 */

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Non-S3 services encode each path segment once more on top of the wire encoding. */
function canonicalPath(rawPath: string): string {
  if (rawPath === '') return '/';
  return rawPath
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      const value = eq === -1 ? '' : pair.slice(eq + 1);
      return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))] as const;
    })
    .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** Hex SHA-256, as SigV4 writes the payload and canonical-request hashes. */
export function sha256Hex(data: Buffer | string): string {
  return sha256(data, 'hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Signing keys change once a day per secret and scope; a bounded cache spares four HMACs a request. */
const SIGNING_KEY_CACHE_MAX_ENTRIES = 64;
const signingKeys = new Map<string, Buffer>();

function signingKey(secretAccessKey: string, scope: SignatureInput['scope']): Buffer {
  const [date, region, service, terminator] = scope;
  const cacheKey = `${date}\n${region}\n${service}\n${terminator}\n${secretAccessKey}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), terminator);
    if (signingKeys.size >= SIGNING_KEY_CACHE_MAX_ENTRIES) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** What the signature covers, as received. */
export interface SignatureInput {
  method: string;
  /** Path and raw query string as received. */
  url: string;
  /** Lower-case signed header names, in the order of SignedHeaders. */
  signedHeaders: readonly string[];
  headerValue: (name: string) => string | undefined;
  payloadHash: string;
  amzDate: string;
  /** `date/region/service/terminator`. */
  scope: readonly [string, string, string, string];
  secretAccessKey: string;
}

/** The hex signature a correct signer would have produced for this request. */
export function computeSignature(input: SignatureInput): string {
  const queryStart = input.url.indexOf('?');
  const rawPath = queryStart === -1 ? input.url : input.url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : input.url.slice(queryStart + 1);
  const canonicalHeaders = input.signedHeaders
    .map((name) => `${name}:${(input.headerValue(name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    canonicalHeaders,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
  const stringToSign = [
    SIGV4_ALGORITHM,
    input.amzDate,
    input.scope.join('/'),
    sha256Hex(canonicalRequest),
  ].join('\n');
  return crypto
    .createHmac('sha256', signingKey(input.secretAccessKey, input.scope))
    .update(stringToSign, 'utf8')
    .digest('hex');
}
