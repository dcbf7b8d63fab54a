import { parseArgs } from 'node:util';
import { describeParseError } from '../cli/parse-command-args.js';
import { ENV_VARS } from '../env.js';
import { ConfigError } from '../errors.js';
import type { EmulatorOptions } from './emulator-options.js';
import { validateFaults } from './faults.js';
import { startEmulator, type Emulator } from './start-emulator.js';

/**
 * What the CLI needs to run the emulator: flags -> options, and the lines to print once it listens.
 * The CLI owns argv handling and printing; these stay pure so they are easy to test.
 */

/** The flags `emulator` understands, for the CLI's help text. */
export const EMULATOR_FLAGS_HELP = [
  '--port <n>                 TCP port (default 0: any free port)',
  '--host <addr>              interface (default 127.0.0.1)',
  '--data-dir <dir>           keep events in <dir>/events.jsonl (default: in memory)',
  '--region <region>          region to serve (default us-east-1)',
  '--account-id <12 digits>   owner of the default channel',
  '--channel-arn <arn>        a channel (repeatable); default: one generated channel',
  '--external-id <id>         externalId the channels require',
  '--access-key-id <id>       check signatures for this key (with --secret-access-key and --account-id)',
  '--secret-access-key <key>  its secret (prefer --config: command lines are visible to other users)',
  '--session-token <token>    require this x-amz-security-token',
  '--faults <json>            faults, e.g. \'{"throttleRate":0.1,"retryAfterSeconds":1}\'',
  '--seed <n>                 seed of the fault PRNG (default 1)',
  '--config <file>            JSON or YAML file of emulator options',
  '--request-quota <n|off>    PutAuditEvents requests/s per account and Region (default 100; off: none)',
  '--allowed-host <name>      another Host name the admin and control endpoints answer to (repeatable)',
  '--insecure                 allow a non-loopback --host without credentials (anyone reaching it can write and read)',
] as const;

function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number))
    throw new ConfigError(name, `Expected \`--${name}\` to be an integer, got \`${value}\``);
  return number;
}

/** The flags of `emulator`, for parseArgs. */
const EMULATOR_ARG_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  region: { type: 'string' },
  'account-id': { type: 'string' },
  'channel-arn': { type: 'string', multiple: true },
  'external-id': { type: 'string' },
  'access-key-id': { type: 'string' },
  'secret-access-key': { type: 'string' },
  'session-token': { type: 'string' },
  faults: { type: 'string' },
  seed: { type: 'string' },
  config: { type: 'string' },
  'request-quota': { type: 'string' },
  'allowed-host': { type: 'string', multiple: true },
  insecure: { type: 'boolean' },
} as const;

/** Turns `emulator` command flags into {@link EmulatorOptions}. Throws ConfigError on a bad flag. */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: EMULATOR_ARG_OPTIONS,
    }));
  } catch (error) {
    const flags = [...Object.keys(EMULATOR_ARG_OPTIONS), 'help'];
    throw new ConfigError('argv', describeParseError(error as Error, flags), { cause: error });
  }
  const options: EmulatorOptions = {};
  const port = integerFlag('port', values.port);
  if (port !== undefined) options.port = port;
  const seed = integerFlag('seed', values.seed);
  if (seed !== undefined) options.seed = seed;
  if (values.host !== undefined) options.host = values.host;
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  if (values.region !== undefined) options.region = values.region;
  if (values['account-id'] !== undefined) options.accountId = values['account-id'];
  if (values.config !== undefined) options.configFile = values.config;
  if (values.insecure === true) options.insecure = true;
  if (values['allowed-host'] !== undefined) options.allowedHosts = values['allowed-host'];
  const quota = values['request-quota'];
  if (quota === 'off') options.requestQuota = false;
  else if (quota !== undefined) {
    const requestsPerSecond = Number(quota);
    if (!(requestsPerSecond > 0))
      throw new ConfigError(
        'request-quota',
        `Expected \`--request-quota\` to be a positive number or off, got \`${quota}\``,
      );
    options.requestQuota = { requestsPerSecond };
  }
  const externalId = values['external-id'];
  if (values['channel-arn'] !== undefined) {
    options.channels = values['channel-arn'].map((channelArn) =>
      externalId === undefined ? { channelArn } : { channelArn, externalId },
    );
  } else if (externalId !== undefined) {
    throw new ConfigError('external-id', '`--external-id` needs at least one `--channel-arn`');
  }
  const accessKeyId = values['access-key-id'];
  const secretAccessKey = values['secret-access-key'];
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError('access-key-id', '`--access-key-id` and `--secret-access-key` go together');
  }
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const accountId = values['account-id'] ?? '123456789012';
    const sessionToken = values['session-token'];
    options.credentials = [
      sessionToken === undefined
        ? { accessKeyId, secretAccessKey, accountId }
        : { accessKeyId, secretAccessKey, accountId, sessionToken },
    ];
  }
  if (values.faults !== undefined) {
    try {
      options.faults = validateFaults(JSON.parse(values.faults));
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError('faults', `Expected \`--faults\` to be JSON, got \`${values.faults}\``, {
        cause: error,
      });
    }
  }
  return options;
}

/** A value as one shell word: bare when it is plainly safe, else single-quoted. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The environment a client needs for this emulator, one `export` per line, ready to paste: the
 * exporter's endpoint and channel, credentials, and the region under both names (the AWS SDK for
 * JavaScript reads `AWS_REGION`; botocore, and so boto3 and the AWS CLI, read `AWS_DEFAULT_REGION`:
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html). With checked
 * signatures the secret is not printed; the line says to fill it in.
 */
export function emulatorExports(emulator: Emulator): string[] {
  const accessKeyId = emulator.accessKeyIds[0];
  const anySignature = emulator.acceptsAnySignature || accessKeyId === undefined;
  const lines = [
    `export ${ENV_VARS.endpoint}=${shellWord(emulator.url)}`,
    `export ${ENV_VARS.channelArn}=${shellWord(emulator.channelArn)}`,
    `export AWS_ACCESS_KEY_ID=${shellWord(anySignature ? 'emulator' : accessKeyId)}`,
    anySignature
      ? 'export AWS_SECRET_ACCESS_KEY=emulator'
      : "export AWS_SECRET_ACCESS_KEY='<the secret you configured>'",
    `export AWS_REGION=${shellWord(emulator.region)}`,
    `export AWS_DEFAULT_REGION=${shellWord(emulator.region)}`,
  ];
  return lines;
}

/**
 * Lines to print once the emulator listens: endpoint, channels, the environment to paste into a
 * client's shell, and a first command to try. Secrets are never printed: with configured credentials
 * only the access key id is shown.
 */
export function describeEmulator(emulator: Emulator): string[] {
  const checked = !emulator.acceptsAnySignature && emulator.accessKeyIds[0] !== undefined;
  return [
    `CloudTrail Lake emulator on ${emulator.url}`,
    `  region:             ${emulator.region}`,
    ...emulator.channels.map(
      (channel) =>
        `  channel:            ${channel.channelArn}${channel.externalId === undefined ? '' : ' (externalId required)'}`,
    ),
    `  event data store:   ${emulator.eventDataStoreArn}  (SQL: SELECT ... FROM ${emulator.eventDataStoreId})`,
    `  storage:            ${emulator.dataDir ?? 'in memory'}`,
    checked
      ? `  signatures:         checked; sign with access key ${emulator.accessKeyIds[0]} and its configured secret`
      : '  signatures:         any well-formed SigV4 signature is accepted',
    '',
    'Point a client at it (paste into its shell):',
    ...emulatorExports(emulator).map((line) => `  ${line}`),
    '',
    `Try: aws cloudtrail-data put-audit-events --endpoint-url ${emulator.url} --channel-arn ${emulator.channelArn} --audit-events file://events.json`,
    `     aws cloudtrail start-query --endpoint-url ${emulator.url} --query-statement "SELECT eventData.eventName, count(*) FROM ${emulator.eventDataStoreId} GROUP BY 1"`,
    'For the same endpoint and channel on every run, pass --port <n> and --channel-arn <arn>.',
    // Printed for the person who started the emulator, as Jupyter prints its login token.
    `Admin token: ${emulator.adminToken}  (Authorization: Bearer ... for /_emulator/* and the console at ${emulator.url}/)`,
  ];
}

/** Parses flags, starts the emulator and prints its description; resolves to the running emulator. */
export async function runEmulatorFromArgs(
  argv: readonly string[],
  print: (line: string) => void,
): Promise<Emulator> {
  const options = parseEmulatorArgs(argv);
  const emulator = await startEmulator({ ...options, log: options.log ?? (() => undefined) });
  for (const line of describeEmulator(emulator)) print(line);
  return emulator;
}
