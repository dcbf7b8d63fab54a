// Covers the bridge over HTTPS: a server certificate (generated here with the openssl CLI), its reload
// when the files change, and mutual TLS where a client certificate's CN names the client instead of a
// token. Tokens and pins: bridge-auth.test.ts.
import { copyFile, readFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it, vi } from 'vitest';
import {
  BRIDGE_TOKENS,
  auditRecord,
  jsonRequest,
  startHarness,
  tempFile,
  type Harness,
  harnessPerTest,
} from './bridge-harness.js';
import { testCertificatesPerFile } from './test-certificates.js';

const file = testCertificatesPerFile();

const session = harnessPerTest();
const { cleanups } = session;
let harness: Harness | undefined;

interface HttpsAnswer {
  status: number;
  body: string;
  serverCommonName: string;
}

/** POSTs an OTLP JSON body over HTTPS, trusting the test CA, with a client certificate when asked. */
async function postTls(
  url: string,
  body: string,
  options: { token?: string; clientCert?: boolean } = {},
): Promise<HttpsAnswer> {
  const ca = await readFile(file('ca.crt'));
  const clientCert =
    options.clientCert === true
      ? { cert: await readFile(file('client.crt')), key: await readFile(file('client.key')) }
      : {};
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca,
        ...clientCert,
        agent: false,
        headers: {
          'content-type': 'application/json',
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        },
      },
      (response) => {
        const peer = (response.socket as TLSSocket).getPeerCertificate();
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: text,
            serverCommonName: String(peer.subject?.CN),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const body = (name: string) => JSON.stringify(jsonRequest([auditRecord(name)]));

describe('the bridge over TLS', () => {
  it('serves HTTPS with the given certificate and reloads it when the files change', async () => {
    const tokens = await tempFile(
      'tokens.yaml',
      `clients:\n  - name: tls-client\n    token: ${BRIDGE_TOKENS.payments}\n`,
      (c) => cleanups.push(c),
    );
    harness = session.track(
      await startHarness({
        tlsCert: file('live.crt'),
        tlsKey: file('live.key'),
        authTokensFile: tokens,
        fileReloadIntervalMillis: 20,
      }),
    );
    expect(harness.bridge.logsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\/logs$/);
    const first = await postTls(harness.bridge.logsUrl, body('OverTls'), { token: BRIDGE_TOKENS.payments });
    expect(first).toMatchObject({ status: 200, serverCommonName: 'bridge-server' });
    await harness.bridge.drain();
    expect(harness.emulator.events()[0]!.eventData['additionalEventData']).toMatchObject({
      bridgeClient: 'tls-client',
    });

    await copyFile(file('server2.key'), file('live.key'));
    await copyFile(file('server2.crt'), file('live.crt'));
    await vi.waitFor(async () => {
      const next = await postTls(harness!.bridge.logsUrl, body('Renewed'), { token: BRIDGE_TOKENS.payments });
      expect(next.serverCommonName).toBe('bridge-server-renewed');
    });
  });

  it('with a client CA, refuses a client without a certificate and names a client by its certificate CN', async () => {
    harness = session.track(
      await startHarness({
        tlsCert: file('server.crt'),
        tlsKey: file('server.key'),
        tlsClientCa: file('ca.crt'),
      }),
    );
    await expect(postTls(harness.bridge.logsUrl, body('NoCert'))).rejects.toThrow();
    const answer = await postTls(harness.bridge.logsUrl, body('WithCert'), { clientCert: true });
    expect(answer.status).toBe(200);
    await harness.bridge.drain();
    const events = harness.emulator.events();
    expect(events.map((event) => event.eventData['eventName'])).toEqual(['WithCert']);
    expect(events[0]!.eventData['additionalEventData']).toMatchObject({ bridgeClient: 'collector-a' });
  });

  it('applies the pins of the token-file entry whose certificateSubject is the CN', async () => {
    const tokens = await tempFile(
      'tokens.yaml',
      'clients:\n  - name: collector-a-entry\n    certificateSubject: collector-a\n    eventSources: [payments.example.com]\n',
      (c) => cleanups.push(c),
    );
    harness = session.track(
      await startHarness({
        tlsCert: file('server.crt'),
        tlsKey: file('server.key'),
        tlsClientCa: file('ca.crt'),
        authTokensFile: tokens,
      }),
    );
    const answer = await postTls(harness.bridge.logsUrl, body('Pinned'), { clientCert: true });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ partialSuccess: { rejectedLogRecords: '1' } });
    await harness.bridge.drain();
    expect(harness.emulator.events()).toHaveLength(0);
  });
});
