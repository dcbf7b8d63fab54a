import { runBridgeFromCli } from '../bridge/run-bridge-from-cli.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';

/** `bridge`: the OTLP/HTTP receiver; flags, help and exit codes are the bridge's own. */
export const bridgeCommand: Command = {
  name: 'bridge',
  summary: 'receive OTLP/HTTP logs and export the audit records among them',
  usage: 'Usage: otel-cloudtrail-lake bridge [options]',
  run: (argv: readonly string[], io: CliIo) =>
    runBridgeFromCli(argv, { out: (line) => io.out(line), err: (line) => io.err(line), env: io.env }),
};
