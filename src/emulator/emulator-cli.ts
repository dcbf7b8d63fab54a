import { parseArgs } from 'node:util';
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

/** Turns `emulator` command flags into {@link EmulatorOptions}. Throws ConfigError on a bad flag. */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
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
      },
    }));
  } catch (error) {
    throw new ConfigError('argv', (error as Error).message, { cause: error });
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

/**
 * Lines to print once the emulator listens: endpoint, channels, and how to point a client at it.
 * Secrets are never printed: with configured credentials only the access key id is shown.
 */
export function describeEmulator(emulator: Emulator): string[] {
  const lines = [
    `CloudTrail Lake emulator on ${emulator.url}`,
    `  region:             ${emulator.region}`,
    ...emulator.channels.map(
      (channel) =>
        `  channel:            ${channel.channelArn}${channel.externalId === undefined ? '' : ' (externalId required)'}`,
    ),
    `  event data store:   ${emulator.eventDataStoreArn}  (SQL: SELECT ... FROM ${emulator.eventDataStoreId})`,
    `  storage:            ${emulator.dataDir ?? 'in memory'}`,
  ];
  const accessKeyId = emulator.accessKeyIds[0];
  if (emulator.acceptsAnySignature || accessKeyId === undefined) {
    lines.push('  signatures:         any well-formed SigV4 signature is accepted; e.g.');
    lines.push('    export AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator');
  } else {
    lines.push(
      `  signatures:         checked; sign with access key ${accessKeyId} and its configured secret`,
    );
    lines.push(
      `    export AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=<the secret you configured>`,
    );
  }
  lines.push(`    export AWS_REGION=${emulator.region}`);
  lines.push(
    `  try: aws cloudtrail-data put-audit-events --endpoint-url ${emulator.url} --channel-arn ${emulator.channelArn} --audit-events file://events.json`,
  );
  lines.push(
    `       aws cloudtrail start-query --endpoint-url ${emulator.url} --query-statement "SELECT eventData.eventName, count(*) FROM ${emulator.eventDataStoreId} GROUP BY 1"`,
  );
  // The token is printed for the person who started the emulator, as Jupyter prints its login token.
  lines.push(
    `  admin token:        ${emulator.adminToken}  (Authorization: Bearer ... for /_emulator/* and the console)`,
  );
  return lines;
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
