// Test helper (not a test): a CA and certificates signed by it, generated with the openssl CLI, for the
// bridge's TLS tests over HTTPS and OTLP/gRPC.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** `openssl req` arguments for a new P-256 key without a passphrase: fast to generate. */
const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A directory of PEM files, by name: `ca`, `server` (CN bridge-server), `server2` (CN bridge-server-renewed), `client` (CN collector-a), and `live` (a copy of `server` a test may replace). */
export interface TestCertificates {
  /** The path of `name` in the directory, e.g. `file('ca.crt')`. */
  file(name: string): string;
  remove(): Promise<void>;
}

/** Creates the CA and the certificates of {@link TestCertificates} in a fresh temporary directory. */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'bridge-tls-'));
  const file = (name: string): string => join(dir, name);
  /** A P-256 key and a certificate for `cn` signed by the test CA, with `san` as subjectAltName when given. */
  const issue = async (name: string, cn: string, san?: string): Promise<void> => {
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
    const ext = file(`${name}.ext`);
    await writeFile(ext, san === undefined ? 'basicConstraints=CA:FALSE\n' : `subjectAltName=${san}\n`);
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
      ext,
    );
  };
  openssl(
    'req',
    '-x509',
    ...NEW_EC_KEY,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-subj',
    '/CN=bridge-test-ca',
    '-days',
    '1',
  );
  await issue('server', 'bridge-server', 'IP:127.0.0.1');
  await issue('server2', 'bridge-server-renewed', 'IP:127.0.0.1');
  await issue('client', 'collector-a');
  // Served from copies, so the test can replace them.
  await copyFile(file('server.crt'), file('live.crt'));
  await copyFile(file('server.key'), file('live.key'));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Creates the certificates before the test file's tests and removes them after; returns the path of a
 * file by name. Call once at the top of a test file.
 */
export function testCertificatesPerFile(): (name: string) => string {
  let certificates: TestCertificates | undefined;
  beforeAll(async () => {
    certificates = await createTestCertificates();
  }, 30_000);
  afterAll(() => certificates?.remove());
  return (name) => certificates!.file(name);
}
