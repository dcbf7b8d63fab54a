import { createControlPlaneClient } from '../emulator/control-plane/control-plane-client.js';
import { startEmulator } from '../emulator/start-emulator.js';
import { ENV_VARS } from '../env.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { formatTable, formatVertical } from './format-table.js';
import { EXIT, UsageError, parseCommandArgs, stringFlag } from './parse-command-args.js';

const USAGE =
  'Usage: otel-cloudtrail-lake query "<sql>" [--endpoint <url> | --data-dir <dir>] [--region <r>] [--admin-token <t>] [--format table|vertical|json]';

const HELP = `${USAGE}

Runs a CloudTrail Lake query (StartQuery, then GetQueryResults page by page) against an emulator, and
prints the rows. Name the event data store by its id or ARN (the emulator prints it), e.g.
  SELECT eventData.eventName, count(*) AS n FROM <event data store id> GROUP BY 1 ORDER BY 2 DESC

Options:
  --endpoint <url>     a running emulator (default: env ${ENV_VARS.endpoint}); requests are signed with
                       SigV4 from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (placeholder keys when unset)
  --region <region>    the emulator's region (default: env AWS_REGION, AWS_DEFAULT_REGION, or us-east-1)
  --admin-token <t>    send the emulator's admin token instead of a signature
  --data-dir <dir>     an emulator's data directory, read without a running emulator
  --format <f>         table (default), vertical (one column/value block per row) or json
  -h, --help           show this help`;

/** Rows from a running emulator through its control plane (StartQuery, GetQueryResults). */
export async function queryEndpoint(
  endpoint: string,
  sql: string,
  env: Readonly<Record<string, string | undefined>> = {},
  options: { region?: string | undefined; adminToken?: string | undefined } = {},
): Promise<Array<Record<string, string | null>>> {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const client = createControlPlaneClient({
    endpoint,
    region: options.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    adminToken: options.adminToken,
    ...(accessKeyId === undefined || secretAccessKey === undefined
      ? {}
      : { credentials: { accessKeyId, secretAccessKey, sessionToken: env['AWS_SESSION_TOKEN'] } }),
  });
  try {
    return await client.query(sql);
  } catch (error) {
    throw new Error(`query failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Rows from a data directory, through an emulator started on a free loopback port for the query. */
async function queryDataDir(dataDir: string, sql: string): Promise<Array<Record<string, string | null>>> {
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
    {
      endpoint: { type: 'string' },
      'data-dir': { type: 'string' },
      format: { type: 'string' },
      region: { type: 'string' },
      'admin-token': { type: 'string' },
    },
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
  else if (endpoint !== undefined)
    rows = await queryEndpoint(endpoint, sql, io.env, {
      region: stringFlag(args, 'region'),
      adminToken: stringFlag(args, 'admin-token'),
    });
  else throw new UsageError(`Give --endpoint, --data-dir or env ${ENV_VARS.endpoint}`, USAGE);
  if (format === 'json') for (const row of rows) io.out(JSON.stringify(row));
  else for (const line of format === 'vertical' ? formatVertical(rows) : formatTable(rows)) io.out(line);
  return EXIT.ok;
}

/** `query`: SQL over an emulator's events. */
export const queryCommand: Command = {
  name: 'query',
  summary: 'run a Lake query (StartQuery/GetQueryResults) against an emulator, print a table',
  usage: USAGE,
  run,
};
