import { timingSafeEqual } from 'node:crypto';
import { CLOUDTRAIL_DATA_SIGNING_NAME } from '../limits.js';
import { AwsError } from './aws-error.js';
import type { EmulatorCredential } from './emulator-options.js';
import { SIGV4_ALGORITHM as ALGORITHM, computeSignature, sha256Hex } from './sigv4-canonical.js';

/**
 * Signature Version 4 verification, header form, written from the AWS "Create a signed AWS API request"
 * guide: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 * It rebuilds the canonical request from what arrived on the wire and compares signatures in constant time.
 */

/** The parts of an HTTP request the verifier reads. Header names are lower case (as node gives them). */
export interface SignedRequest {
  method: string;
  /** The request target as received: path and raw query string. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

export interface VerifySignatureOptions {
  region: string;
  /** Known identities; empty means "accept any well-formed signature". */
  credentials: readonly EmulatorCredential[];
  nowMillis: number;
  maxClockSkewMillis: number;
  /** Signing names the credential scope may name. @default ['cloudtrail-data'] (PutAuditEvents) */
  services?: readonly string[];
}

/** Who called: the credential that signed, or `undefined` when no credentials are configured. */
export interface VerifiedCaller {
  accessKeyId: string;
  credential: EmulatorCredential | undefined;
}

const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters is %XX, upper-case hex. */
interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization {
  if (!value.startsWith(`${ALGORITHM} `)) {
    throw new AwsError(
      'IncompleteSignatureException',
      `Authorization header must start with '${ALGORITHM} '.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const missing = [
    credential === undefined ? 'Credential' : undefined,
    signedHeaders === undefined ? 'SignedHeaders' : undefined,
    signature === undefined ? 'Signature' : undefined,
  ].filter((name) => name !== undefined);
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw new AwsError(
      'IncompleteSignatureException',
      `Authorization header requires ${missing.map((name) => `'${name}'`).join(', ')} parameter(s).`,
    );
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope.some((part) => part === '')) {
    throw new AwsError(
      'IncompleteSignatureException',
      `Credential must have the form <accessKeyId>/<date>/<region>/<service>/aws4_request, got ${scope.length} part(s).`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    throw new AwsError('IncompleteSignatureException', 'Signature must be 64 lower-case hex characters.');
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

/**
 * Checks the SigV4 signature of a request and returns the caller. Throws {@link AwsError} with the name
 * AWS uses: MissingAuthenticationTokenException, IncompleteSignatureException, InvalidSignatureException
 * (bad scope, skew, payload hash or signature), UnrecognizedClientException (unknown key or wrong session
 * token), ExpiredTokenException.
 */
export function verifySignature(request: SignedRequest, options: VerifySignatureOptions): VerifiedCaller {
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined || authorization === '') {
    throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const auth = parseAuthorization(authorization);
  if (auth.terminator !== 'aws4_request') {
    throw new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'.`,
    );
  }
  const services = options.services ?? [CLOUDTRAIL_DATA_SIGNING_NAME];
  if (!services.includes(auth.service)) {
    throw new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${services.join("' or '")}', not '${auth.service}'.`,
    );
  }
  if (auth.region !== options.region) {
    throw new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region: '${options.region}', not '${auth.region}'.`,
    );
  }
  const amzDate = header(request.headers, 'x-amz-date');
  const match = amzDate === undefined ? null : AMZ_DATE_PATTERN.exec(amzDate);
  if (amzDate === undefined || match === null) {
    throw new AwsError(
      'IncompleteSignatureException',
      'Authorization requires an x-amz-date header in the form YYYYMMDDTHHMMSSZ.',
    );
  }
  if (amzDate.slice(0, 8) !== auth.date) {
    throw new AwsError(
      'InvalidSignatureException',
      `Credential date ${auth.date} does not match x-amz-date ${amzDate.slice(0, 8)}.`,
    );
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const signedAtMillis = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Math.abs(options.nowMillis - signedAtMillis) > options.maxClockSkewMillis) {
    throw new AwsError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is more than ${options.maxClockSkewMillis / 60_000} minutes from the emulator's time ${new Date(options.nowMillis).toISOString()}.`,
    );
  }
  if (!auth.signedHeaders.includes('host')) {
    throw new AwsError('InvalidSignatureException', "SignedHeaders must include 'host'.");
  }
  for (const name of auth.signedHeaders) {
    if (name !== name.toLowerCase() || header(request.headers, name) === undefined) {
      throw new AwsError(
        'InvalidSignatureException',
        `Signed header '${name}' is not in the request (or not lower case).`,
      );
    }
  }

  const bodyHash = sha256Hex(request.body);
  const declaredHash = header(request.headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && declaredHash !== bodyHash) {
    throw new AwsError(
      'InvalidSignatureException',
      'The x-amz-content-sha256 header does not match the SHA-256 of the body.',
    );
  }

  let credential: EmulatorCredential | undefined;
  if (options.credentials.length > 0) {
    credential = options.credentials.find((candidate) => candidate.accessKeyId === auth.accessKeyId);
    if (credential === undefined) {
      throw new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (credential.sessionToken !== undefined) {
      const token = header(request.headers, 'x-amz-security-token');
      if (token === undefined || !constantTimeEqual(token, credential.sessionToken)) {
        throw new AwsError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      }
      if (credential.expiresAtMillis !== undefined && options.nowMillis >= credential.expiresAtMillis) {
        throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
      }
    }
    const expected = computeSignature({
      method: request.method,
      url: request.url,
      signedHeaders: auth.signedHeaders,
      headerValue: (name) => header(request.headers, name),
      payloadHash: declaredHash ?? bodyHash,
      amzDate,
      scope: [auth.date, auth.region, auth.service, auth.terminator],
      secretAccessKey: credential.secretAccessKey,
    });
    if (!constantTimeEqual(expected, auth.signature)) {
      throw new AwsError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
  }
  return { accessKeyId: auth.accessKeyId, credential };
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
