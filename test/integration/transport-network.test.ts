// Covers the transport on corporate networks: an HTTPS endpoint whose certificate comes from a CA made in
// the test, trusted through AWS_CA_BUNDLE, OTEL_EXPORTER_CLOUDTRAIL_LAKE_CERTIFICATE or the `ca` option and
// refused without; a client certificate for mutual TLS; HTTPS_PROXY / NO_PROXY through a CONNECT proxy.
// Endpoint checks (userinfo, plain http) are in resolve-endpoint.test.ts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { NetworkError } from '../../src/errors.js';
import { likelyFix } from '../../src/transport/is-retryable.js';
import type { Transport } from '../../src/transport/transport.js';
import { TEST_CREDENTIALS, auditAttributes } from '../helpers/audit-pipeline.js';
import { createTestHttpTransport } from '../helpers/http-transport.js';
import { oneEventRequest } from '../helpers/one-event-request.js';
import { exportOnce, makeRecords } from '../helpers/log-records.js';
import { createTestPki, startConnectProxy, startTlsFront, type TestPki } from '../helpers/tls-front.js';

let emulator: Emulator;
let pki: TestPki;
let directory: string;
let caFile: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  pki = await createTestPki();
  directory = await mkdtemp(join(tmpdir(), 'ctl-network-'));
  caFile = join(directory, 'ca.pem');
  await writeFile(caFile, pki.caCert);
});
afterAll(async () => {
  await emulator.close();
  await rm(directory, { recursive: true, force: true });
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function tlsFront(options: { requireClientCertificate?: boolean } = {}) {
  const front = await startTlsFront(emulator.url, pki, options);
  cleanups.push(() => front.close());
  return front;
}

function transport(options: Parameters<typeof createTestHttpTransport>[0]): Transport {
  const created = createTestHttpTransport({
    channelArn: emulator.channelArn,
    credentials: TEST_CREDENTIALS,
    requestTimeoutMillis: 5_000,
    ...options,
  });
  cleanups.push(() => created.shutdown());
  return created;
}

const send = (sender: Transport) =>
  sender.send(oneEventRequest(emulator.channelArn.split(':')[4] ?? ''), new AbortController().signal);

describe('TLS trust', () => {
  it('refuses an endpoint whose CA is not trusted, as a permanent network failure', async () => {
    const front = await tlsFront();
    const result = await send(transport({ endpoint: front.url }));
    expect(result.status).toBe('failure');
    const error = (result as { error: unknown }).error;
    expect(error).toBeInstanceOf(NetworkError);
    expect(likelyFix(error)).toMatch(/`ca`, `AWS_CA_BUNDLE`/);
    expect((error as NetworkError).message).toMatch(
      /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/,
    );
  });

  it.each([
    ['AWS_CA_BUNDLE', () => ({ env: { AWS_CA_BUNDLE: caFile } })],
    [
      'OTEL_EXPORTER_CLOUDTRAIL_LAKE_CERTIFICATE',
      () => ({ env: { OTEL_EXPORTER_CLOUDTRAIL_LAKE_CERTIFICATE: caFile } }),
    ],
    ['the `ca` option', () => ({ ca: pki.caCert })],
  ])('trusts the endpoint CA given by %s', async (_label, extra) => {
    const front = await tlsFront();
    const result = await send(transport({ endpoint: front.url, ...extra() }));
    expect(result.status).toBe('success');
  });

  it('presents the client certificate for mutual TLS, and cannot connect without it', async () => {
    const front = await tlsFront({ requireClientCertificate: true });
    const without = await send(transport({ endpoint: front.url, ca: pki.caCert }));
    expect(without.status).not.toBe('success');
    const withCertificate = await send(
      transport({
        endpoint: front.url,
        ca: pki.caCert,
        clientCertificate: pki.clientCert,
        clientKey: pki.clientKey,
      }),
    );
    expect(withCertificate.status).toBe('success');
    expect(front.clientNames).toEqual(['exporter-client']);
  });
});

describe('proxies from the environment', () => {
  it('tunnels through HTTPS_PROXY, and goes direct when NO_PROXY matches the host', async () => {
    const front = await tlsFront();
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());
    const host = new URL(front.url).host;

    const proxied = await send(
      transport({ endpoint: front.url, ca: pki.caCert, env: { HTTPS_PROXY: proxy.url } }),
    );
    expect(proxied.status).toBe('success');
    expect(proxy.tunnels).toEqual([host]);

    const direct = await send(
      transport({
        endpoint: front.url,
        ca: pki.caCert,
        env: { https_proxy: proxy.url, NO_PROXY: '127.0.0.1' },
      }),
    );
    expect(direct.status).toBe('success');
    expect(proxy.tunnels).toEqual([host]);
  });

  it('sends an exporter export through the proxy named by the environment it was given', async () => {
    const front = await tlsFront();
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());
    const before = emulator.received().length;
    const exporter = new CloudTrailLakeLogExporter(
      { credentials: TEST_CREDENTIALS },
      {
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: emulator.channelArn,
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT: front.url,
        AWS_CA_BUNDLE: caFile,
        HTTPS_PROXY: proxy.url,
      },
    );
    cleanups.push(() => exporter.shutdown());
    const result = await exportOnce(exporter, await makeRecords([auditAttributes(1)]));
    expect(result.code).toBe(0);
    expect(proxy.tunnels).toEqual([new URL(front.url).host]);
    expect(emulator.received().length).toBe(before + 1);
  });
});
