// Covers OTLP/gRPC over TLS: the same certificate, key and client CA as the HTTPS port (generated here with
// the openssl CLI), mutual TLS naming the client by its certificate's CN, and the certificate reloaded when
// its files change. The HTTPS port's TLS: bridge-tls.test.ts; the gRPC answers: bridge-otlp-grpc.test.ts.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOGS_EXPORT_PATH } from '../../src/bridge/grpc-logs-service.js';
import { harnessPerTest, startHarness } from './bridge-harness.js';

let dir = '';
const file = (name: string) => join(dir, name);
const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });

/** A P-256 key and a certificate for `cn` signed by the test CA. */
async function issue(name: string, cn: string, san?: string): Promise<void> {
  openssl(
    'req',
    ...NEW_EC_KEY,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.csr`),
    '-subj',
    `/CN=${cn}`,
  );
  await writeFile(
    file(`${name}.ext`),
    san === undefined ? 'basicConstraints=CA:FALSE\n' : `subjectAltName=${san}\n`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file(`${name}.crt`),
    '-days',
    '1',
    '-extfile',
    file(`${name}.ext`),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bridge-grpc-tls-'));
  openssl(
    'req',
    '-x509',
    ...NEW_EC_KEY,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-subj',
    '/CN=grpc-test-ca',
    '-days',
    '1',
  );
  await issue('server', 'bridge-server', 'IP:127.0.0.1');
  await issue('server2', 'bridge-server-renewed', 'IP:127.0.0.1');
  await issue('client', 'collector-a');
  await copyFile(file('server.crt'), file('live.crt'));
  await copyFile(file('server.key'), file('live.key'));
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const session = harnessPerTest();

async function exportRequest(name: string): Promise<Buffer> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'grpc-tls' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  provider.getLogger('tls').emit({
    attributes: {
      'audit.event_name': name,
      'audit.user_identity.type': 'Customer',
      'user.id': 'alice',
      'audit.recipient_account_id': '123456789012',
    },
  });
  await provider.forceFlush();
  return Buffer.from(ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!);
}

/** One Export call over TLS trusting the test CA, with the client certificate when `withCertificate`. */
async function exportTls(url: string, body: Buffer, withCertificate: boolean): Promise<ServiceError | null> {
  const ca = await readFile(file('ca.crt'));
  const channel = withCertificate
    ? credentials.createSsl(ca, await readFile(file('client.key')), await readFile(file('client.crt')))
    : credentials.createSsl(ca);
  const client = new Client(new URL(url).host, channel);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      LOGS_EXPORT_PATH,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      body,
      new Metadata(),
      (error) => {
        client.close();
        resolve(error);
      },
    );
  });
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
    expect(await exportTls(url, await exportRequest('WithCertificate'), true)).toBeNull();
    const refused = await exportTls(url, await exportRequest('WithoutCertificate'), false);
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
    expect(await exportTls(url, await exportRequest('AfterRenewal'), true)).toBeNull();
  });
});
