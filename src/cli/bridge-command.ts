import { runBridgeFromCli } from '../bridge/run-bridge-from-cli.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';

/** `bridge`: the OTLP/HTTP receiver; flags, help and exit codes are the bridge's own. */
export const bridgeCommand: Command = {
  name: 'bridge',
  summary: 'receive OTLP/HTTP logs and export the audit records among them',
  usage: 'Usage: otel-cloudtrail-lake bridge [options]',
  run: async (argv: readonly string[], io: CliIo) => {
    const code = await runBridgeFromCli(argv, {
      out: (line) => io.out(line),
      err: (line) => io.err(line),
      env: io.env,
    });
    // After a missed drain deadline, sends still in flight would keep the process alive for up to the
    // exporter's timeout; the drain deadline is what the operator configured, so exit now.
    process.exit(code);
  },
};
