import { validateEventData } from '../validation/validate-event-data.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { EXIT, parseCommandArgs } from './parse-command-args.js';
import { readEventLines } from './read-event-lines.js';

const USAGE = 'Usage: otel-cloudtrail-lake validate <file|-> [--truncate]';

const HELP = `${USAGE}

Checks eventData JSON lines against the CloudTrail Lake integration event schema, offline: nothing is
sent. A line is an eventData object, or an object with \`eventData\` (and \`id\`), such as a dead letter.
Prints every error with its line number and exits 1 when any line is invalid.

Options:
  --truncate   accept over-long strings as the exporter's \`truncate\` option would cut them
  -h, --help   show this help`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, { truncate: { type: 'boolean' } }, USAGE, { min: 1, max: 1 });
  if (args.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const file = args.positionals[0] ?? '-';
  const truncate = args.values['truncate'] === true;
  let checked = 0;
  let invalid = 0;
  for await (const entry of readEventLines(file, io.stdin)) {
    checked += 1;
    if (entry.error !== undefined) {
      invalid += 1;
      io.out(`${file}:${entry.line}: invalid line: ${entry.error}`);
      continue;
    }
    const result = validateEventData(entry.eventData, {
      eventId: entry.id ?? `line-${entry.line}`,
      truncate,
      // As `send` (the exporter) does: an over-large additionalEventData is cut and marked, not refused.
      boundAdditionalEventData: true,
    });
    if (result.errors.length === 0) continue;
    invalid += 1;
    for (const error of result.errors) {
      io.out(`${file}:${entry.line}: ${error.code} ${error.field}: ${error.message}`);
    }
  }
  io.out(
    invalid === 0
      ? `${checked} event(s) checked, all valid`
      : `${checked} event(s) checked, ${invalid} invalid`,
  );
  return invalid === 0 ? EXIT.ok : EXIT.failure;
}

/** `validate`: the offline schema check. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check eventData JSON lines against the schema, offline',
  usage: USAGE,
  run,
};
