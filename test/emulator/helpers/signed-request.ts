// Test helper: signs PutAuditEvents requests with the AWS SDK's own signer (@smithy/signature-v4), so the
// emulator's verifier is checked against an implementation nobody here wrote, then sends them with fetch.
import { createHash } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../helpers/node-sha256.js';

export interface SignOptions {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region?: string;
  service?: string;
  signingDate?: Date;
}

export interface PutOptions extends SignOptions {
  url: string;
  channelArn?: string | undefined;
  externalId?: string | undefined;
  body: string | Buffer;
  /** Change the request after signing (tamper tests). */
  afterSign?: (headers: Record<string, string>) => void;
  /** Headers added before signing (so they are signed). */
  extraHeaders?: Record<string, string>;
  /** Send this body instead of the signed one (tamper tests). */
  sendBody?: string | Buffer;
  path?: string;
}

export interface PutResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read AWS JSON bodies freely
  json: any;
}

export async function signedPut(options: PutOptions): Promise<PutResult> {
  const target = new URL(options.url);
  const query: Record<string, string> = {};
  if (options.channelArn !== undefined) query['channelArn'] = options.channelArn;
  if (options.externalId !== undefined) query['externalId'] = options.externalId;
  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: options.path ?? '/PutAuditEvents',
    query,
    headers: { host: target.host, 'content-type': 'application/json', ...options.extraHeaders },
    body,
  });
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
    },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'cloudtrail-data',
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    request,
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  const headers = { ...(signed.headers as Record<string, string>) };
  options.afterSign?.(headers);
  delete headers['host'];
  const search = new URLSearchParams(query).toString().replace(/\+/g, '%20');
  const response = await fetch(
    `${target.origin}${options.path ?? '/PutAuditEvents'}${search === '' ? '' : `?${search}`}`,
    {
      method: 'POST',
      headers,
      body: options.sendBody ?? body,
    },
  );
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

/** A valid eventData object for the given recipient account; override any field. */
export function eventData(
  recipientAccountId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: '1.0',
    userIdentity: { type: 'CustomUser', principalId: 'alice' },
    eventSource: 'app.example',
    eventName: 'Login',
    eventTime: '2026-11-21T09:30:00Z',
    UID: 'uid-1',
    recipientAccountId,
    ...overrides,
  };
}

export function checksum(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** A PutAuditEvents body with `count` events; ids are `e0`, `e1`, ... */
export function bodyOf(events: Array<Record<string, unknown>>): string {
  return JSON.stringify({
    auditEvents: events.map((data, index) => ({ id: `e${index}`, eventData: JSON.stringify(data) })),
  });
}

/** Fixed test identity; the secret is a made-up test value. */
export const TEST_CREDENTIAL = Object.freeze({
  accessKeyId: 'AKIDEMULATORTEST',
  secretAccessKey: 'emulator-test-secret',
  accountId: '111122223333',
});

/** Sends a signed PutAuditEvents with {@link TEST_CREDENTIAL}. */
export function put(
  url: string,
  channelArn: string | undefined,
  body: string | Buffer,
  extra: Partial<PutOptions> = {},
): Promise<PutResult> {
  return signedPut({ url, channelArn, body, ...TEST_CREDENTIAL, ...extra });
}
