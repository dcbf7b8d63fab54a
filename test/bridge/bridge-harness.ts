// Test harness (not a test): an emulator, a bridge exporting to it, OTel SDK clients of the bridge
// using the real OTLP exporters (JSON and protobuf), as users would run them, and the bridge command
// in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach } from 'vitest';
import { startBridge, type Bridge } from '../../src/bridge/index.js';
import type { BridgeOptions } from '../../src/bridge/bridge-options.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret-not-real' };

export interface Harness {
  emulator: Emulator;
  bridge: Bridge;
  close(): Promise<void>;
}

/** Starts an emulator and a bridge on port 0 sending to it, with a short batch delay. */
export async function startHarness(options: BridgeOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ port: 0 });
  const bridge = await startBridge(
    {
      port: 0,
      batch: { scheduledDelayMillis: 20 },
      exporterOptions: {
        endpoint: emulator.url,
        channelArn: emulator.channelArn,
        credentials: TEST_CREDENTIALS,
      },
      ...options,
    },
    {},
  );
  return {
    emulator,
    bridge,
    close: async () => {
      await bridge.close();
      await emulator.close();
    },
  };
}

/**
 * Closes, after each test, the harness a test `track`ed and then everything pushed onto `cleanups`
 * (in reverse order). Call once at the top of a test file.
 */
export function harnessPerTest(): { cleanups: Array<() => Promise<void>>; track(harness: Harness): Harness } {
  const cleanups: Array<() => Promise<void>> = [];
  let tracked: Harness | undefined;
  afterEach(async () => {
    await tracked?.close();
    tracked = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    track: (harness) => (tracked = harness),
  };
}

/** A LoggerProvider whose records go, one export per record, to `url` over OTLP/HTTP. */
export function otlpClient(
  url: string,
  protocol: 'json' | 'protobuf',
  extra: { compression?: 'gzip' | 'none'; headers?: Record<string, string> } = {},
) {
  const config = {
    url,
    timeoutMillis: 10_000,
    ...(extra.headers === undefined ? {} : { headers: extra.headers }),
    ...(extra.compression === 'gzip' ? { compression: 'gzip' as never } : {}),
  };
  const exporter = protocol === 'json' ? new OTLPJsonLogExporter(config) : new OTLPProtoLogExporter(config);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({
      'service.name': 'bridge-test',
      'audit.user_identity.type': 'Customer',
    }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  return { provider, logger: provider.getLogger('audit-client', '1.0.0') };
}

const CLI_ENTRY = fileURLToPath(new URL('./fixtures/bridge-cli-entry.ts', import.meta.url));

/** The bridge command running in a child process. */
export interface BridgeChild {
  process: ChildProcess;
  logsUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs `otel-cloudtrail-lake bridge <args>` in a child process and resolves once it listens;
 * `onCleanup` receives what kills it should the test end first.
 */
export async function spawnBridge(
  args: string[],
  onCleanup: (cleanup: () => Promise<void>) => void,
  env: Record<string, string> = {},
): Promise<BridgeChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return Promise.resolve();
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not start: ${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`bridge exited early: ${output}`)));
  });
  return { process: child, logsUrl, output: () => output, exited };
}

const NOW_NANOS = String(Date.UTC(2026, 10, 21, 9, 30, 0) * 1_000_000);

/** An OTLP JSON ExportLogsServiceRequest holding `records` under one resource and scope. */
export function jsonRequest(records: Array<Record<string, unknown>>) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'raw-client' } }] },
        scopeLogs: [{ scope: { name: 'raw' }, logRecords: records }],
      },
    ],
  };
}

/** An OTLP JSON LogRecord that maps to a valid audit event named `name`. */
export function auditRecord(name: string, extra: Array<Record<string, unknown>> = []) {
  return {
    timeUnixNano: NOW_NANOS,
    attributes: [
      { key: 'audit.event_name', value: { stringValue: name } },
      { key: 'audit.user_identity.type', value: { stringValue: 'Customer' } },
      { key: 'user.id', value: { stringValue: 'alice' } },
      { key: 'audit.recipient_account_id', value: { stringValue: '123456789012' } },
      ...extra,
    ],
  };
}

/** Bearer tokens of the bridge tests; listed in test-credentials.ts so the suite-wide scan looks for them. */
export const BRIDGE_TOKENS = Object.freeze({
  payments: 'bridge-token-payments-0123456789',
  billing: 'bridge-token-billing-0123456789',
  rotated: 'bridge-token-rotated-0123456789',
  wrong: 'bridge-token-wrong-0123456789ab',
});

/** Writes `text` to a fresh file in a fresh temporary directory; `onCleanup` receives its removal. */
export async function tempFile(
  name: string,
  text: string,
  onCleanup: (cleanup: () => Promise<void>) => void,
): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'bridge-test-'));
  onCleanup(() => rm(directory, { recursive: true, force: true }));
  const path = join(directory, name);
  await writeFile(path, text);
  return path;
}

/** POSTs `body` and reads the whole answer. */
export async function post(url: string, body: string | Uint8Array, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', body, headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}
