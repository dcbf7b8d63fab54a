// Covers OTLP/gRPC over TLS: the same certificate, key and client CA as the HTTPS port (generated here with
// the openssl CLI), mutual TLS naming the client by its certificate's CN, and the certificate reloaded when
// its files change. The HTTPS port's TLS: bridge-tls.test.ts; the gRPC answers: bridge-otlp-grpc.test.ts.
import { copyFile, readFile } from 'node:fs/promises';
import { connect } from 'node:tls';
import { credentials, status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it, vi } from 'vitest';
import { harnessPerTest, startHarness } from './bridge-harness.js';
import { exportCall, exportRequest } from './grpc-test-client.js';
import { testCertificatesPerFile } from './test-certificates.js';

const file = testCertificatesPerFile();

const session = harnessPerTest();

/** One Export call over TLS trusting the test CA, with the client certificate when `withCertificate`. */
async function exportTls(
  url: string,
  body: Buffer,
  withCertificate: boolean,
): Promise<ServiceError | undefined> {
  const ca = await readFile(file('ca.crt'));
  const channel = withCertificate
    ? credentials.createSsl(ca, await readFile(file('client.key')), await readFile(file('client.crt')))
    : credentials.createSsl(ca);
  return (await exportCall(url, body, { credentials: channel })).error;
}

/** The CN of the certificate the gRPC port presents to a new connection. */
async function servedCommonName(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const [ca, key, cert] = await Promise.all(
    ['ca.crt', 'client.key', 'client.crt'].map((name) => readFile(file(name))),
  );
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: hostname, port: Number(port), ca, key, cert, ALPNProtocols: ['h2'] },
      () => {
        resolve(String(socket.getPeerCertificate().subject.CN));
        socket.destroy();
      },
    );
    socket.once('error', reject);
  });
}

describe('bridge over OTLP/gRPC with TLS', () => {
  it('requires a client certificate signed by the client CA and names the client after its CN', async () => {
    const harness = session.track(
      await startHarness({
        tlsCert: file('server.crt'),
        tlsKey: file('server.key'),
        tlsClientCa: file('ca.crt'),
      }),
    );
    const url = harness.bridge.grpcUrl!;
    expect(url).toMatch(/^https:\/\//);
    expect(await exportTls(url, await exportRequest(['WithCertificate']), true)).toBeUndefined();
    const refused = await exportTls(url, await exportRequest(['WithoutCertificate']), false);
    expect(refused?.code).toBe(status.UNAVAILABLE);
    await harness.bridge.drain();
    const events = harness.emulator.events();
    expect(events.map((event) => event.eventData['eventName'])).toEqual(['WithCertificate']);
    expect(events[0]!.eventData['additionalEventData']).toMatchObject({ bridgeClient: 'collector-a' });
  });

  it('serves a renewed certificate to new connections once its files change', async () => {
    const harness = session.track(
      await startHarness({
        tlsCert: file('live.crt'),
        tlsKey: file('live.key'),
        tlsClientCa: file('ca.crt'),
        fileReloadIntervalMillis: 20,
      }),
    );
    const url = harness.bridge.grpcUrl!;
    expect(await servedCommonName(url)).toBe('bridge-server');
    await copyFile(file('server2.key'), file('live.key'));
    await copyFile(file('server2.crt'), file('live.crt'));
    await vi.waitFor(async () => expect(await servedCommonName(url)).toBe('bridge-server-renewed'), {
      timeout: 5_000,
    });
    expect(await exportTls(url, await exportRequest(['AfterRenewal']), true)).toBeUndefined();
  });
});
