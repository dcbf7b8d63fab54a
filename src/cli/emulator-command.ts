import { ConfigError } from '../errors.js';
import { EMULATOR_FLAGS_HELP, runEmulatorFromArgs } from '../emulator/emulator-cli.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { openInBrowser } from './open-in-browser.js';
import { EXIT, UsageError } from './parse-command-args.js';
import { waitForSignal } from './wait-for-signal.js';

const USAGE =
  'Usage: otel-cloudtrail-lake emulator [--port <n>] [--host <addr>] [--data-dir <dir>] [--config <file>] [--open]';

const HELP = `${USAGE}

Runs a local CloudTrail Lake (PutAuditEvents, and CloudTrail's control plane: channels, event data
stores, queries) until SIGINT or SIGTERM, and prints the endpoint, the channel ARN(s), the event data
store, the credentials to use, the admin token and the browser console's URL. Query what it stored with
\`otel-cloudtrail-lake query "<sql>" --endpoint <url>\` or \`aws cloudtrail start-query --endpoint-url <url>\`,
or watch and query it in the browser console.

Options:
${EMULATOR_FLAGS_HELP.map((line) => `  ${line}`).join('\n')}
  --open                     open the browser console (with xdg-open or open, when installed)
  -h, --help                 show this help`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.out(HELP);
    return EXIT.ok;
  }
  const stopped = waitForSignal();
  let emulator;
  try {
    emulator = await runEmulatorFromArgs(
      argv.filter((arg) => arg !== '--open'),
      (line) => io.out(line),
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, USAGE);
    throw error;
  }
  const consoleUrl = `${emulator.url}/`;
  io.out(`  console:            ${consoleUrl}`);
  if (argv.includes('--open')) {
    const opener = await openInBrowser(consoleUrl);
    io.out(
      opener === undefined
        ? `No xdg-open or open command here: open ${consoleUrl} in a browser yourself.`
        : `Opening the console with ${opener}.`,
    );
  }
  io.out('Press Ctrl+C to stop.');
  const signal = await stopped;
  const stats = emulator.stats;
  await emulator.close();
  io.out(
    `emulator: ${signal} received; stopped after ${stats.putAuditEventsRequests} PutAuditEvents request(s), ${stats.acceptedEvents} event(s) accepted`,
  );
  return EXIT.ok;
}

/** `emulator`: a local CloudTrail Lake for development and tests. */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run a local CloudTrail Lake emulator until Ctrl+C',
  usage: USAGE,
  run,
};
