import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import type { BridgeClient, BridgeClients } from './bridge-clients.js';

/** Why a request was refused 401, the `reason` label of the auth-failure counter. */
export type AuthFailure = 'missing_credentials' | 'malformed_authorization' | 'invalid_token';

/** The client a request authenticated as (undefined when the bridge runs without authentication), or why not. */
export type AuthResult = { ok: true; client: BridgeClient | undefined } | { ok: false; failure: AuthFailure };

/** RFC 6750 section 2.1: `Authorization: Bearer <b64token>`. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The common name of a verified client certificate, or undefined. */
function certificateCommonName(request: IncomingMessage): string | undefined {
  const socket = request.socket;
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const commonName: unknown = socket.getPeerCertificate().subject?.CN;
  return typeof commonName === 'string' && commonName !== '' ? commonName : undefined;
}

/** What a request carries to authenticate with, from HTTP headers or gRPC metadata and its TLS socket. */
export interface RequestCredentials {
  /** The `authorization` header or metadata value, if any. */
  authorization: string | undefined;
  /** The subject CN of a client certificate the TLS handshake verified, if any. */
  certificateCommonName: string | undefined;
}

/**
 * Who sent a request. A client certificate verified against `--tls-client-ca` names the client: the
 * token file's entry with that `certificateSubject`, or, without a token file, a client named after the
 * subject's CN. Otherwise the bearer token must match a token file entry. Without a token file and
 * without client certificates every request is let in anonymously (the bridge then listens on
 * loopback only, unless told otherwise).
 */
export function authenticateCredentials(
  credentials: RequestCredentials,
  clients: BridgeClients | undefined,
  clientCertificates: boolean,
): AuthResult {
  const commonName = clientCertificates ? credentials.certificateCommonName : undefined;
  if (commonName !== undefined) {
    if (clients === undefined) return { ok: true, client: { name: commonName } };
    const client = clients.byCertificateSubject(commonName);
    if (client !== undefined) return { ok: true, client };
  }
  const header = credentials.authorization;
  if (header === undefined || header === '') {
    return clients === undefined
      ? { ok: true, client: undefined }
      : { ok: false, failure: 'missing_credentials' };
  }
  if (clients === undefined) return { ok: true, client: undefined };
  const match = BEARER.exec(header.trim());
  if (match === null) return { ok: false, failure: 'malformed_authorization' };
  const client = clients.byToken(match[1]!);
  return client === undefined ? { ok: false, failure: 'invalid_token' } : { ok: true, client };
}

/** {@link authenticateCredentials} for an OTLP/HTTP request. */
export function authenticateRequest(
  request: IncomingMessage,
  clients: BridgeClients | undefined,
  clientCertificates: boolean,
): AuthResult {
  return authenticateCredentials(
    {
      authorization: request.headers.authorization,
      certificateCommonName: clientCertificates ? certificateCommonName(request) : undefined,
    },
    clients,
    clientCertificates,
  );
}
