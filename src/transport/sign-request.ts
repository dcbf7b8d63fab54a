import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../internal/node-sha256.js';
import { CLOUDTRAIL_DATA_SIGNING_NAME } from '../limits.js';
import type { CachedCredentials } from './credentials-provider.js';

/**
 * Signature Version 4 for CloudTrail Data, with AWS's own signer
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html). We only supply SHA-256 from
 * node:crypto and the request; the signer owns canonicalisation.
 */

/** RFC 3986 escaping as the SigV4 canonical query uses it, so the sent query is the one that was signed. */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A request to sign: everything that goes on the wire except the signature headers. */
export interface UnsignedRequest {
  method: string;
  url: URL;
  /** The query, unescaped; sent escaped with {@link escapeUri}. */
  query: Readonly<Record<string, string>>;
  headers: Readonly<Record<string, string>>;
  /** The bytes sent, when the caller has them: the signer then hashes them without encoding the text again. */
  body: string | Uint8Array;
}

export interface RequestSigner {
  /** The request's headers with `authorization`, `x-amz-date` and, for session credentials, `x-amz-security-token`. */
  sign(request: UnsignedRequest, signingDate: Date): Promise<Record<string, string>>;
}

export function createRequestSigner(options: {
  region: string;
  credentials: CachedCredentials;
}): RequestSigner {
  const signer = new SignatureV4({
    service: CLOUDTRAIL_DATA_SIGNING_NAME,
    region: options.region,
    credentials: async () => {
      const { accessKeyId, secretAccessKey, sessionToken, expiration } = await options.credentials.get();
      return {
        accessKeyId,
        secretAccessKey,
        ...(sessionToken === undefined ? {} : { sessionToken }),
        ...(expiration === undefined ? {} : { expiration }),
      };
    },
    sha256: NodeSha256,
    uriEscapePath: true,
    // Only S3 and Glacier need x-amz-content-sha256; the body hash is part of the signature either way.
    applyChecksum: false,
  });
  return {
    async sign(request, signingDate) {
      const { url } = request;
      const unsigned = new HttpRequest({
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query: { ...request.query },
        headers: { ...request.headers, host: url.host },
        body: request.body,
      });
      const signed = await signer.sign(unsigned, { signingDate });
      return { ...signed.headers };
    },
  };
}
