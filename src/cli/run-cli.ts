import { ConfigError } from '../errors.js';
import { bridgeCommand } from './bridge-command.js';
import { cliColors } from './cli-colors.js';
import { packageVersion, type CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { demoCommand } from './demo-command.js';
import { suggestion } from './did-you-mean.js';
import { emulatorCommand } from './emulator-command.js';
import { installCliDiag } from './install-cli-diag.js';
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
const NAMES = COMMANDS.map((command) => command.name);

function help(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    USAGE,
    '',
    'OpenTelemetry audit logs to AWS CloudTrail Lake, and a local CloudTrail Lake emulator.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    `  ${'help'.padEnd(width)}  show this help, or a command's: help <command>`,
    '',
    'Options:',
    '  -h, --help     show this help (also after a command)',
    '  -v, --version  print the version',
    '',
    'Environment:',
    '  OTEL_LOG_LEVEL  diagnostics on stderr: none, error, warn (default), info, debug, verbose, all',
    '  NO_COLOR        set to turn colour off (colour is only used on a terminal)',
    '',
    'Exit codes: 0 done, 1 the work failed, 2 wrong command line, 130 interrupted (Ctrl+C).',
  ].join('\n');
}

/**
 * Runs one command line and resolves to the exit code: 0 done, 1 the work failed (events rejected,
 * invalid lines, a server error), 2 the command line is wrong (a usage line is printed), 130 `send`
 * was interrupted. Diagnostics go to stderr at the level `OTEL_LOG_LEVEL` names (default warn).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  installCliDiag(io);
  const colors = cliColors(io);
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(help());
    return EXIT.usage;
  }
  if (name === '-h' || name === '--help' || (name === 'help' && rest.length === 0)) {
    io.out(help());
    return EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    io.out(packageVersion());
    return EXIT.ok;
  }
  // `help <command>` is `<command> --help`.
  const [commandName, commandArgs] = name === 'help' ? [rest[0]!, ['--help']] : [name, rest];
  const command = COMMANDS.find((candidate) => candidate.name === commandName);
  if (command === undefined) {
    const kind = commandName.startsWith('-') ? 'option' : 'command';
    const candidates = kind === 'option' ? ['--help', '--version'] : [...NAMES, 'help'];
    io.err(
      colors.error(
        `otel-cloudtrail-lake: unknown ${kind} '${commandName}'.${suggestion(commandName, candidates)}`,
      ),
    );
    io.err(USAGE);
    io.err(`Commands: ${NAMES.join(', ')}`);
    return EXIT.usage;
  }
  try {
    return await command.run(commandArgs, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.err(colors.error(`otel-cloudtrail-lake ${command.name}: ${error.message}`));
      io.err(error instanceof UsageError ? error.usage : command.usage);
      io.err(`Run 'otel-cloudtrail-lake help ${command.name}' for the options.`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof Error && 'code' in error ? ` [${String(error.code)}]` : '';
    io.err(colors.error(`otel-cloudtrail-lake ${command.name}: ${message}${code}`));
    return EXIT.failure;
  }
}
