import { ConfigError } from '../errors.js';
import { bridgeCommand } from './bridge-command.js';
import { packageVersion, type CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { demoCommand } from './demo-command.js';
import { emulatorCommand } from './emulator-command.js';
import { EXIT, UsageError } from './parse-command-args.js';
import { queryCommand } from './query-command.js';
import { sendCommand } from './send-command.js';
import { validateCommand } from './validate-command.js';
import { verifyCommand } from './verify-command.js';

const COMMANDS: readonly Command[] = [
  demoCommand,
  emulatorCommand,
  queryCommand,
  sendCommand,
  validateCommand,
  verifyCommand,
  bridgeCommand,
];

const USAGE = 'Usage: otel-cloudtrail-lake <command> [options]';

function help(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    USAGE,
    '',
    'OpenTelemetry audit logs to AWS CloudTrail Lake, and a local CloudTrail Lake emulator.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help (also after a command)',
    '  -v, --version  print the version',
  ].join('\n');
}

/**
 * Runs one command line and resolves to the exit code: 0 done, 1 the work failed (events rejected,
 * invalid lines, a server error), 2 the command line is wrong (a usage line is printed).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(help());
    return EXIT.usage;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.out(help());
    return EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    io.out(packageVersion());
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.err(`otel-cloudtrail-lake: unknown ${name.startsWith('-') ? 'option' : 'command'} '${name}'`);
    io.err(USAGE);
    io.err(`Commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.err(`otel-cloudtrail-lake ${command.name}: ${error.message}`);
      io.err(error instanceof UsageError ? error.usage : command.usage);
      io.err(`Run 'otel-cloudtrail-lake ${command.name} --help' for the options.`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof Error && 'code' in error ? ` [${String(error.code)}]` : '';
    io.err(`otel-cloudtrail-lake ${command.name}: ${message}${code}`);
    return EXIT.failure;
  }
}
