// The CLI-facing helpers of the emulator (flags -> options, start-up description) and the config file
// option (YAML and JSON, relative dataDir, explicit options winning). The CLI itself is tested elsewhere.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { describeEmulator, parseEmulatorArgs, runEmulatorFromArgs } from '../../src/emulator/emulator-cli.js';
import { startEmulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIAL, bodyOf, eventData, put } from './helpers/signed-request.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctl-emulator-cli-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('turns flags into emulator options', () => {
  const options = parseEmulatorArgs([
    '--port',
    '0',
    '--region',
    'eu-west-1',
    '--account-id',
    '111122223333',
    '--access-key-id',
    'AKID',
    '--secret-access-key',
    's3cr3t',
    '--channel-arn',
    'arn:aws:cloudtrail:eu-west-1:111122223333:channel/a',
    '--channel-arn',
    'arn:aws:cloudtrail:eu-west-1:111122223333:channel/b',
    '--external-id',
    'ext-1',
    '--faults',
    '{"throttleRate":0.5}',
    '--seed',
    '9',
    '--data-dir',
    dir,
  ]);
  expect(options).toEqual({
    port: 0,
    region: 'eu-west-1',
    accountId: '111122223333',
    seed: 9,
    dataDir: dir,
    credentials: [{ accessKeyId: 'AKID', secretAccessKey: 's3cr3t', accountId: '111122223333' }],
    channels: [
      { channelArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:channel/a', externalId: 'ext-1' },
      { channelArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:channel/b', externalId: 'ext-1' },
    ],
    faults: { throttleRate: 0.5 },
  });
});

test('rejects bad flags with a ConfigError naming the flag', () => {
  expect(() => parseEmulatorArgs(['--port', 'abc'])).toThrow(ConfigError);
  expect(() => parseEmulatorArgs(['--faults', '{"throttleRate":3}'])).toThrow(/faults.throttleRate/);
  expect(() => parseEmulatorArgs(['--access-key-id', 'AKID'])).toThrow(/secret-access-key/);
  expect(() => parseEmulatorArgs(['--bogus'])).toThrow(ConfigError);
});

test('prints the endpoint, the channel and the access key, never the secret', async () => {
  const printed: string[] = [];
  const emulator = await runEmulatorFromArgs(
    [
      '--access-key-id',
      'AKIDPRINT',
      '--secret-access-key',
      'do-not-print-me',
      '--account-id',
      '111122223333',
    ],
    (line) => printed.push(line),
  );
  try {
    const text = printed.join('\n');
    expect(text).toContain(emulator.url);
    expect(text).toContain(emulator.channelArn);
    expect(text).toContain('AKIDPRINT');
    expect(text).not.toContain('do-not-print-me');
  } finally {
    await emulator.close();
  }
});

test('tells the user any signature works when no credentials are configured', async () => {
  const emulator = await startEmulator({ log: () => undefined });
  try {
    expect(describeEmulator(emulator).join('\n')).toContain('any well-formed SigV4 signature is accepted');
  } finally {
    await emulator.close();
  }
});

test('reads options from a YAML config file, with explicit options winning', async () => {
  const file = join(dir, 'emulator.yaml');
  await writeFile(
    file,
    [
      'region: eu-central-1',
      'dataDir: data',
      'credentials:',
      `  - accessKeyId: ${TEST_CREDENTIAL.accessKeyId}`,
      `    secretAccessKey: ${TEST_CREDENTIAL.secretAccessKey}`,
      `    accountId: "${TEST_CREDENTIAL.accountId}"`,
      'faults:',
      '  throttleRate: 1',
    ].join('\n'),
  );
  const emulator = await startEmulator({ configFile: file, faults: {}, log: () => undefined });
  try {
    expect(emulator.region).toBe('eu-central-1');
    expect(emulator.dataDir).toBe(join(dir, 'data'));
    expect(emulator.accessKeyIds).toEqual([TEST_CREDENTIAL.accessKeyId]);
    const result = await put(
      emulator.url,
      emulator.channelArn,
      bodyOf([eventData(TEST_CREDENTIAL.accountId)]),
      { region: 'eu-central-1' },
    );
    expect(result.status).toBe(200);
  } finally {
    await emulator.close();
  }
});

test('names the config file and the problem when it cannot be used', async () => {
  const file = join(dir, 'broken.json');
  await writeFile(file, '{ nope');
  await expect(startEmulator({ configFile: file })).rejects.toThrow(/broken\.json.*JSON/);
  await expect(startEmulator({ configFile: join(dir, 'absent.yaml') })).rejects.toThrow(ConfigError);
  await expect(
    startEmulator({ channels: [{ channelArn: 'arn:aws:cloudtrail:us-east-1:1:channel/x' }] }),
  ).rejects.toThrow(/channels\[0\]\.channelArn/);
});

test('turns the security and quota flags into options, and prints the admin token and the control plane', async () => {
  expect(
    parseEmulatorArgs(['--insecure', '--allowed-host', 'lake.internal', '--request-quota', '25']),
  ).toEqual({
    insecure: true,
    allowedHosts: ['lake.internal'],
    requestQuota: { requestsPerSecond: 25 },
  });
  expect(parseEmulatorArgs(['--request-quota', 'off'])).toEqual({ requestQuota: false });
  expect(() => parseEmulatorArgs(['--request-quota', '-1'])).toThrow(ConfigError);
  const emulator = await startEmulator({ log: () => undefined });
  try {
    const text = describeEmulator(emulator).join('\n');
    expect(text).toContain(emulator.adminToken);
    expect(text).toContain(`aws cloudtrail start-query --endpoint-url ${emulator.url}`);
    expect(emulator.adminToken.length).toBeGreaterThanOrEqual(32);
  } finally {
    await emulator.close();
  }
});
