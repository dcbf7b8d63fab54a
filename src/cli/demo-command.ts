import { ENV_VARS } from '../env.js';
import { runDemo } from '../demo/run-demo.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { EXIT, parseCommandArgs, stringFlag } from './parse-command-args.js';

const USAGE = 'Usage: otel-cloudtrail-lake demo [--data-dir <dir>]';

const HELP = `${USAGE}

Plays a small billing service's day (logins, a role change, data exports, a deletion) through the OTel
logs SDK, the redaction processor and this exporter into a local emulator, then prints the answers to
three CloudTrail-Lake-style SQL queries. No AWS account needed.

With ${ENV_VARS.channelArn} and AWS credentials in the environment, the same events go
to the real CloudTrail Lake channel instead, and the eventIDs it returns are printed.

Options:
  --data-dir <dir>   keep the emulator's events there (default: a temporary directory, removed)
  -h, --help         show this help`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, { 'data-dir': { type: 'string' } }, USAGE, { min: 0, max: 0 });
  if (args.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const summary = await runDemo({
    out: (line) => io.out(line),
    env: io.env,
    dataDir: stringFlag(args, 'data-dir'),
  });
  return summary.rejected + summary.failed === 0 ? EXIT.ok : EXIT.failure;
}

/** `demo`: first contact, in one command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'play a scripted audited service into the emulator and query it',
  usage: USAGE,
  run,
};
