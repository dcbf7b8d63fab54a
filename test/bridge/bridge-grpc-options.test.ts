// Covers how the OTLP/gRPC port is configured: option, env var, YAML key and CLI flags, the default
// beside OTLP/HTTP's, and switching it off. What the port does: bridge-otlp-grpc.test.ts.
import { describe, expect, it } from 'vitest';
import { BRIDGE_ENV, loadBridgeConfigFile, resolveBridgeOptions } from '../../src/bridge/bridge-options.js';
import { parseBridgeArgs } from '../../src/bridge/run-bridge-from-cli.js';
import { DEFAULTS } from '../../src/defaults.js';
import { ConfigError } from '../../src/errors.js';
import { harnessPerTest, tempFile } from './bridge-harness.js';

const { cleanups } = harnessPerTest();

describe('grpcPort and grpc options', () => {
  it("listens on the Collector's OTLP/gRPC port beside OTLP/HTTP by default, and on a free one when port is 0", () => {
    expect(resolveBridgeOptions({}, {})).toMatchObject({
      port: DEFAULTS.bridgePort,
      grpcPort: DEFAULTS.bridgeGrpcPort,
    });
    expect(resolveBridgeOptions({ port: 0 }, {}).grpcPort).toBe(0);
    expect(resolveBridgeOptions({ port: 0, grpcPort: 14317 }, {}).grpcPort).toBe(14317);
  });

  it('reads the env vars below the options, and switches gRPC off', () => {
    const env = { [BRIDGE_ENV.grpcPort]: '5317' };
    expect(resolveBridgeOptions({}, env).grpcPort).toBe(5317);
    expect(resolveBridgeOptions({ grpcPort: 6317 }, env).grpcPort).toBe(6317);
    expect(resolveBridgeOptions({}, { [BRIDGE_ENV.grpc]: 'false' }).grpcPort).toBeUndefined();
    expect(resolveBridgeOptions({ grpc: false }, {}).grpcPort).toBeUndefined();
  });

  it('refuses a port out of range, and the OTLP/HTTP port', () => {
    expect(() => resolveBridgeOptions({}, { [BRIDGE_ENV.grpcPort]: '70000' })).toThrow(
      /OTEL_CLOUDTRAIL_LAKE_BRIDGE_GRPC_PORT.*from 0 to 65535.*70000/,
    );
    expect(() => resolveBridgeOptions({ port: 4500, grpcPort: 4500 }, {})).toThrow(ConfigError);
  });

  it('takes --grpc-port and --no-grpc, and grpcPort and grpc in the YAML file', async () => {
    expect(await parseBridgeArgs(['--grpc-port', '7317'], {})).toMatchObject({ grpcPort: 7317 });
    expect(await parseBridgeArgs(['--no-grpc'], {})).toMatchObject({ grpc: false });
    const path = await tempFile('bridge.yaml', 'bridge:\n  grpcPort: 8317\n  grpc: true\n', (cleanup) =>
      cleanups.push(cleanup),
    );
    expect(await loadBridgeConfigFile(path)).toMatchObject({ grpcPort: 8317, grpc: true });
  });
});
