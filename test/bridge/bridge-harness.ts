// Test harness (not a test): an emulator, a bridge exporting to it, and OTel SDK clients of the bridge
// using the real OTLP exporters (JSON and protobuf), as users would run them.
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
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

/** A LoggerProvider whose records go, one export per record, to `url` over OTLP/HTTP. */
export function otlpClient(
  url: string,
  protocol: 'json' | 'protobuf',
  extra: { compression?: 'gzip' | 'none' } = {},
) {
  const config = {
    url,
    timeoutMillis: 10_000,
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

/** Polls `check` until it is true or `timeoutMillis` passes; for state reached through real I/O. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMillis = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMillis} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
