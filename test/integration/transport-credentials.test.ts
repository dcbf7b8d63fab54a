// Covers where the HTTP transport gets credentials when none are given: the AWS default chain from env
// vars, from a shared credentials profile file, and a clear permanent failure when there are none (without
// waiting on EC2 metadata). Request signing and error handling are in transport-http.test.ts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ConfigError } from '../../src/errors.js';
import { createTestHttpTransport } from '../helpers/http-transport.js';
import { oneEventRequest } from '../helpers/one-event-request.js';
import type { PreparedRequest, Transport } from '../../src/transport/transport.js';

const ACCOUNT = '444455556666';
const ENV_KEYS = { accessKeyId: 'AKIDFROMENV', secretAccessKey: 'env-secret' };
const PROFILE_KEYS = { accessKeyId: 'AKIDFROMPROFILE', secretAccessKey: 'profile-secret' };

let server: Emulator;
let dir: string;
let savedEnv: NodeJS.ProcessEnv;
const transports: Transport[] = [];

beforeAll(async () => {
  server = await startEmulator({
    port: 0,
    credentials: [
      { ...ENV_KEYS, accountId: ACCOUNT },
      { ...PROFILE_KEYS, accountId: ACCOUNT },
    ],
    log: () => undefined,
  });
  dir = await mkdtemp(path.join(tmpdir(), 'ctl-transport-credentials-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  savedEnv = { ...process.env };
  // A clean AWS environment: nothing from the machine, and never the EC2 metadata service.
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
  process.env['AWS_CONFIG_FILE'] = path.join(dir, 'no-config');
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = path.join(dir, 'no-credentials');
});
afterEach(async () => {
  for (const transport of transports.splice(0)) await transport.shutdown();
  process.env = savedEnv;
});

const request = (): PreparedRequest => oneEventRequest(ACCOUNT);

function defaultChainTransport(): Transport {
  const transport = createTestHttpTransport({ channelArn: server.channelArn, endpoint: server.url, env: {} });
  transports.push(transport);
  return transport;
}

describe('the default credential chain', () => {
  it('reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = ENV_KEYS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = ENV_KEYS.secretAccessKey;
    const result = await defaultChainTransport().send(request(), new AbortController().signal);
    expect(result.status).toBe('success');
    expect(server.received().at(-1)?.accessKeyId).toBe(ENV_KEYS.accessKeyId);
  });

  it('reads a named profile from AWS_SHARED_CREDENTIALS_FILE', async () => {
    const file = path.join(dir, 'credentials');
    await writeFile(
      file,
      `[default]\naws_access_key_id = AKIDWRONGPROFILE\naws_secret_access_key = wrong\n\n[audit-writer]\naws_access_key_id = ${PROFILE_KEYS.accessKeyId}\naws_secret_access_key = ${PROFILE_KEYS.secretAccessKey}\n`,
    );
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = file;
    process.env['AWS_PROFILE'] = 'audit-writer';
    const result = await defaultChainTransport().send(request(), new AbortController().signal);
    expect(result.status).toBe('success');
    expect(server.received().at(-1)?.accessKeyId).toBe(PROFILE_KEYS.accessKeyId);
  });

  it('fails permanently and quickly with a ConfigError when no source has credentials', async () => {
    const started = Date.now();
    const result = await defaultChainTransport().send(request(), new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe('failure');
    const error = result.status === 'failure' ? result.error : undefined;
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('credentials');
    expect(error?.message).toMatch(/^Could not load AWS credentials for PutAuditEvents/);
  });
});
