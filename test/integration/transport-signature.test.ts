// Checks the HTTP transport's wire format against an independent referee: a bare loopback server that
// recomputes the SigV4 signature with AWS's signer from what actually arrived (path, raw query, headers,
// body bytes). The emulator-based scenarios are in transport-http.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../helpers/node-sha256.js';
import { createTestHttpTransport } from '../helpers/http-transport.js';
import { USER_AGENT } from '../../src/transport/user-agent.js';
import type { PreparedRequest } from '../../src/transport/transport.js';

const CREDENTIALS = {
  accessKeyId: 'ASIAREFEREE',
  secretAccessKey: 'referee-secret',
  sessionToken: 'referee-token',
};
const CHANNEL = 'arn:aws:cloudtrail:eu-central-1:777788889999:channel/referee';

interface Captured {
  method: string;
  path: string;
  query: Record<string, string>;
  rawQuery: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Recomputes the Authorization header the request should carry. */
async function expectedAuthorization(captured: Captured): Promise<string> {
  const signer = new SignatureV4({
    service: 'cloudtrail-data',
    region: 'eu-central-1',
    credentials: CREDENTIALS,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signedHeaderNames =
    /SignedHeaders=([^,]+)/.exec(String(captured.headers.authorization))?.[1]?.split(';') ?? [];
  expect(signedHeaderNames).toEqual(
    expect.arrayContaining(['host', 'x-amz-date', 'content-type', 'x-amz-security-token']),
  );
  const headers = Object.fromEntries(signedHeaderNames.map((name) => [name, String(captured.headers[name])]));
  const amzDate = String(captured.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const request = new HttpRequest({
    method: captured.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    path: captured.path,
    query: captured.query,
    headers,
    body: captured.body,
  });
  const signed = await signer.sign(request, { signingDate });
  return String(signed.headers['authorization']);
}

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

type Answer = (res: http.ServerResponse, index: number) => void;
const okAnswer: Answer = (res) => {
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end('{"successful":[{"id":"e1","eventID":"x"}],"failed":[]}');
};

async function referee(answer: Answer = okAnswer): Promise<{ url: string; captured: Captured[] }> {
  const captured: Captured[] = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const [path = '', rawQuery = ''] = (req.url ?? '').split('?');
      const query = Object.fromEntries(
        rawQuery
          .split('&')
          .filter(Boolean)
          .map((pair) => pair.split('=').map(decodeURIComponent) as [string, string]),
      );
      captured.push({
        method: req.method ?? '',
        path,
        query,
        rawQuery,
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      answer(res, captured.length - 1);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}`, captured };
}

describe('the HTTP transport on the wire', () => {
  it('sends the prepared body byte for byte, signed as AWS signs it, with the query escaped as signed', async () => {
    const { url, captured } = await referee();
    const externalId = 'a+b=c,d.e@f:g/h-i_j';
    const transport = createTestHttpTransport({
      channelArn: CHANNEL,
      endpoint: `${url}/prefix/`,
      credentials: CREDENTIALS,
      externalId,
      env: {},
    });
    // Unusual but valid JSON spacing and non-ASCII text: any re-serialisation would change the bytes.
    const body = '{ "auditEvents" : [ {"id":"e1","eventData":"{\\"note\\":\\"Grüße ✓\\"}"} ] }';
    const request: PreparedRequest = { events: [], body, bodyBytes: Buffer.byteLength(body) };
    const result = await transport.send(request, new AbortController().signal);
    await transport.shutdown();
    expect(result).toMatchObject({
      status: 'success',
      response: { successful: [{ id: 'e1', eventID: 'x' }], failed: [] },
    });

    const [arrived] = captured;
    expect(arrived?.method).toBe('POST');
    expect(arrived?.path).toBe('/prefix/PutAuditEvents');
    expect(arrived?.query).toEqual({ channelArn: CHANNEL, externalId });
    // RFC 3986 escaping as the signer's canonical query: `+` must not reach the server as a space.
    expect(arrived?.rawQuery).toBe(
      'channelArn=arn%3Aaws%3Acloudtrail%3Aeu-central-1%3A777788889999%3Achannel%2Freferee&externalId=a%2Bb%3Dc%2Cd.e%40f%3Ag%2Fh-i_j',
    );
    expect(arrived?.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(arrived?.headers['content-type']).toBe('application/json');
    expect(arrived?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(arrived?.headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^otel-cloudtrail-lake\/\d+\.\d+\.\d+/);
    expect(arrived?.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(arrived?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAREFEREE\/\d{8}\/eu-central-1\/cloudtrail-data\/aws4_request, SignedHeaders=/,
    );
    expect(arrived?.headers.authorization).toBe(await expectedAuthorization(arrived as Captured));
  });

  it('keeps the connection alive between requests', async () => {
    const { url, captured } = await referee();
    const ports = new Set<number>();
    server?.on('connection', (socket) => ports.add(socket.remotePort ?? 0));
    const transport = createTestHttpTransport({
      channelArn: CHANNEL,
      endpoint: url,
      credentials: CREDENTIALS,
      env: {},
    });
    const request: PreparedRequest = { events: [], body: '{"auditEvents":[]}', bodyBytes: 18 };
    for (let index = 0; index < 5; index += 1) await transport.send(request, new AbortController().signal);
    await transport.shutdown();
    expect(captured).toHaveLength(5);
    // undici returns a connection to its pool a tick after the body is read, so a request sent at once
    // may open a second one; without keep-alive every request would open its own.
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it('re-signs once with the server clock when the service reports a skewed signature', async () => {
    const serverAheadMillis = 3_600_000;
    const { url, captured } = await referee((res, index) => {
      if (index > 0) return okAnswer(res, index);
      res.sendDate = false;
      res
        .writeHead(403, {
          'x-amzn-errortype': 'InvalidSignatureException',
          date: new Date(Date.now() + serverAheadMillis).toUTCString(),
          'content-type': 'application/json',
        })
        .end('{"message":"Signature expired"}');
    });
    const transport = createTestHttpTransport({
      channelArn: CHANNEL,
      endpoint: url,
      credentials: CREDENTIALS,
      env: {},
    });
    const request: PreparedRequest = { events: [], body: '{"auditEvents":[]}', bodyBytes: 18 };
    const result = await transport.send(request, new AbortController().signal);
    await transport.shutdown();
    expect(result.status).toBe('success');
    const dates = captured.map((arrived) => {
      const d = String(arrived.headers['x-amz-date']);
      return Date.parse(
        `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
      );
    });
    expect(dates).toHaveLength(2);
    expect((dates[1] as number) - (dates[0] as number)).toBeGreaterThan(serverAheadMillis - 5_000);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { url, captured } = await referee();
    const transport = createTestHttpTransport({
      channelArn: CHANNEL,
      endpoint: url,
      credentials: CREDENTIALS,
      env: {},
    });
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const result = await transport.send({ events: [], body: '{}', bodyBytes: 2 }, controller.signal);
    await transport.shutdown();
    expect(result.status).toBe('retryable');
    expect(captured).toHaveLength(0);
  });
});
