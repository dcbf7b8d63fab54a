import { startEmulator } from '../emulator/start-emulator.js';
import { ENV_VARS } from '../env.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { formatTable, formatVertical } from './format-table.js';
import { EXIT, UsageError, parseCommandArgs, stringFlag } from './parse-command-args.js';

const USAGE =
  'Usage: otel-cloudtrail-lake query "<sql>" [--endpoint <url> | --data-dir <dir>] [--format table|vertical|json]';

const HELP = `${USAGE}

Runs CloudTrail-Lake-style SQL over the events an emulator stored, and prints the rows.
Name the event data store id (printed by the emulator) or \`events\` as the table, e.g.
  SELECT eventData.eventName, count(*) AS n FROM events GROUP BY 1 ORDER BY 2 DESC

Options:
  --endpoint <url>    a running emulator (default: env ${ENV_VARS.endpoint})
  --data-dir <dir>    an emulator's data directory, read without a running emulator
  --format <f>        table (default), vertical (one column/value block per row) or json
  -h, --help          show this help`;

/** Rows from a running emulator over its admin endpoint. */
export async function queryEndpoint(endpoint: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(new URL('/_emulator/query', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
  });
  const body = (await response.json().catch(() => ({}))) as { rows?: unknown; message?: unknown };
  if (!response.ok || !Array.isArray(body.rows)) {
    const message = typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
    throw new Error(`query failed: ${message}`);
  }
  return body.rows as Array<Record<string, unknown>>;
}

/** Rows from a data directory, through an emulator started on a free loopback port for the query. */
async function queryDataDir(dataDir: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const emulator = await startEmulator({ dataDir, port: 0, log: () => undefined });
  try {
    return await emulator.query(sql);
  } finally {
    await emulator.close();
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(
    argv,
    { endpoint: { type: 'string' }, 'data-dir': { type: 'string' }, format: { type: 'string' } },
    USAGE,
    { min: 1, max: 1 },
  );
  if (args.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const sql = args.positionals[0] ?? '';
  const format = stringFlag(args, 'format') ?? 'table';
  if (!['table', 'vertical', 'json'].includes(format)) {
    throw new UsageError(`Expected --format to be table, vertical or json, got '${format}'`, USAGE);
  }
  const dataDir = stringFlag(args, 'data-dir');
  const endpoint =
    stringFlag(args, 'endpoint') ?? (dataDir === undefined ? io.env[ENV_VARS.endpoint] : undefined);
  if (dataDir !== undefined && stringFlag(args, 'endpoint') !== undefined) {
    throw new UsageError('Give either --endpoint or --data-dir, not both', USAGE);
  }
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    throw new UsageError(`Expected --endpoint to be a URL, got '${endpoint}'`, USAGE);
  }
  let rows;
  if (dataDir !== undefined) rows = await queryDataDir(dataDir, sql);
  else if (endpoint !== undefined) rows = await queryEndpoint(endpoint, sql);
  else throw new UsageError(`Give --endpoint, --data-dir or env ${ENV_VARS.endpoint}`, USAGE);
  if (format === 'json') for (const row of rows) io.out(JSON.stringify(row));
  else for (const line of format === 'vertical' ? formatVertical(rows) : formatTable(rows)) io.out(line);
  return EXIT.ok;
}

/** `query`: SQL over an emulator's events. */
export const queryCommand: Command = {
  name: 'query',
  summary: 'run SQL over the events an emulator stored, print a table',
  usage: USAGE,
  run,
};
