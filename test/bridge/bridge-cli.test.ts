// Covers runBridgeFromCli in a real child process: YAML config, flags over env over file, SIGTERM
// draining the queue into the emulator before exiting (0 when drained, 1 when the deadline passed), and
// a `--spool-directory` bridge killed with SIGKILL whose records the next bridge delivers.
// In-process bridge behaviour is covered in bridge-otlp-http.test.ts and bridge-pipeline.test.ts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridge } from '../../src/bridge/index.js';
import { parseBridgeArgs } from '../../src/bridge/run-bridge-from-cli.js';
import { ConfigError } from '../../src/errors.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, spawnBridge as spawnBridgeProcess, waitFor } from './bridge-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempConfig(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bridge-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'bridge.yaml');
  await writeFile(path, yaml);
  return path;
}

function configFor(emulator: Emulator, drainTimeoutMillis: number): string {
  return [
    'bridge:',
    '  port: 0',
    `  drainTimeoutMillis: ${drainTimeoutMillis}`,
    '  batch:',
    '    scheduledDelayMillis: 60000',
    'exporter:',
    `  endpoint: ${emulator.url}`,
    `  channelArn: ${emulator.channelArn}`,
    '  credentials:',
    `    accessKeyId: ${TEST_CREDENTIALS.accessKeyId}`,
    `    secretAccessKey: ${TEST_CREDENTIALS.secretAccessKey}`,
    '',
  ].join('\n');
}

const spawnBridge = (args: string[]) => spawnBridgeProcess(args, (cleanup) => cleanups.push(cleanup));

function auditBody(names: string[]): string {
  const record = (name: string) => ({
    attributes: [
      { key: 'audit.event_name', value: { stringValue: name } },
      { key: 'audit.user_identity.type', value: { stringValue: 'Customer' } },
      { key: 'audit.event_source', value: { stringValue: 'cli-test' } },
      { key: 'user.id', value: { stringValue: 'alice' } },
    ],
  });
  return JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: names.map(record) }] }] });
}

describe('runBridgeFromCli', () => {
  it('on SIGTERM exports the queued records to CloudTrail Lake, then exits 0', async () => {
    const emulator = await startEmulator({ port: 0 });
    cleanups.push(() => emulator.close());
    const child = await spawnBridge(['--config', await tempConfig(configFor(emulator, 10_000))]);
    const response = await fetch(child.logsUrl, {
      method: 'POST',
      body: auditBody(['A', 'B', 'C']),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(emulator.events()).toHaveLength(0); // held by the 60 s batch delay
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(
      emulator
        .events()
        .map((e) => e.eventData['eventName'])
        .sort(),
    ).toEqual(['A', 'B', 'C']);
    expect(child.output()).toMatch(/SIGTERM received, draining 3 pending record/);
  });

  it('exits 1 and says so when the drain deadline passes first', async () => {
    const emulator = await startEmulator({ port: 0 });
    cleanups.push(() => emulator.close());
    emulator.setFaults({ latencyMillis: 5_000 });
    const child = await spawnBridge(['--config', await tempConfig(configFor(emulator, 300))]);
    await fetch(child.logsUrl, {
      method: 'POST',
      body: auditBody(['A']),
      headers: { 'content-type': 'application/json' },
    });
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(1);
    expect(child.output()).toMatch(/drain deadline passed with 1 record\(s\) not exported/);
  });

  it('with --spool-directory, delivers after a restart the records answered 200 before a SIGKILL', async () => {
    const emulator = await startEmulator({ port: 0 });
    cleanups.push(() => emulator.close());
    const spoolDirectory = await mkdtemp(join(tmpdir(), 'bridge-spool-'));
    cleanups.push(() => rm(spoolDirectory, { recursive: true, force: true }));
    const config = await tempConfig(configFor(emulator, 10_000));
    const child = await spawnBridge(['--config', config, '--spool-directory', spoolDirectory]);
    const response = await fetch(child.logsUrl, {
      method: 'POST',
      body: auditBody(['A', 'B', 'C']),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    child.process.kill('SIGKILL');
    await child.exited;
    expect(emulator.events()).toHaveLength(0); // the 60 s batch delay held them until the kill

    const exporterOptions = {
      endpoint: emulator.url,
      channelArn: emulator.channelArn,
      credentials: TEST_CREDENTIALS,
    };
    const restarted = await startBridge(
      { port: 0, exporterOptions, spool: { directory: spoolDirectory } },
      {},
    );
    cleanups.push(async () => void (await restarted.close()));
    await waitFor(() => emulator.events().length >= 3);
    const events = emulator.events();
    expect(events.map((e) => e.eventData['eventName']).sort()).toEqual(['A', 'B', 'C']);
    // Each event keeps the id the first bridge gave it (the UID fallback), so nothing is doubled.
    expect(new Set(events.map((e) => e.eventData['UID'])).size).toBe(3);
    await restarted.drain();
    expect(restarted.pendingRecords).toBe(0);
  });

  it('gives flags precedence over env vars, and env vars over the config file', async () => {
    const path = await tempConfig('bridge:\n  port: 1111\n  maxQueueSize: 5\n  retryAfterSeconds: 7\n');
    const options = await parseBridgeArgs(['--config', path, '--port', '2222'], {
      OTEL_CLOUDTRAIL_LAKE_BRIDGE_PORT: '3333',
      OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_QUEUE_SIZE: '9',
    });
    expect(options).toMatchObject({ port: 2222, retryAfterSeconds: 7 });
    expect(options).not.toHaveProperty('maxQueueSize'); // left to the env var by resolveBridgeOptions
  });

  it('rejects unknown config keys and bad flags with a ConfigError', async () => {
    const path = await tempConfig('bridge:\n  prot: 4318\n');
    await expect(parseBridgeArgs(['--config', path], {})).rejects.toThrow(/Unknown option `bridge.prot`/);
    await expect(parseBridgeArgs(['--port', 'x'], {})).rejects.toThrow(ConfigError);
    await expect(parseBridgeArgs(['--bogus'], {})).rejects.toThrow(ConfigError);
  });
});
