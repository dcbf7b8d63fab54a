import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { check, checkOptional, integer, text } from '../internal/check-option.js';
import { ACCOUNT_ID_PATTERN, PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES } from '../limits.js';
import {
  EMULATOR_DEFAULTS,
  type EmulatorChannel,
  type EmulatorCredential,
  type EmulatorOptions,
} from './emulator-options.js';
import { validateFaults, type EmulatorFaults } from './faults.js';

/** Options after the config file, the defaults and the persisted identity are applied. */
export interface ResolvedEmulatorOptions {
  port: number;
  host: string;
  dataDir: string | undefined;
  credentials: readonly EmulatorCredential[];
  channels: readonly EmulatorChannel[];
  region: string;
  accountId: string;
  eventDataStoreId: string;
  faults: EmulatorFaults;
  seed: number;
  maxRequestBytes: number;
  maxClockSkewMillis: number;
  maxReceivedRequests: number;
  now: () => number;
  log: ((line: string) => void) | undefined;
}

const ACCOUNT_ID_RULE = text('a 12-digit AWS account id', ACCOUNT_ID_PATTERN);

/** Kept in dataDir so a restarted emulator serves the same default channel and store id. */
const IDENTITY_FILE_NAME = 'emulator-identity.json';

async function readConfigFile(path: string): Promise<EmulatorOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('configFile', `Cannot read \`configFile\` ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      'configFile',
      `\`configFile\` ${path} is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('configFile', `\`configFile\` ${path} must hold an object of emulator options`);
  }
  const options = parsed as EmulatorOptions;
  // A relative dataDir in a file means "next to the file", not "next to wherever the CLI ran".
  return options.dataDir === undefined
    ? options
    : { ...options, dataDir: resolve(dirname(path), options.dataDir) };
}

/** Integer options of the emulator: the one check and wording of the library, letting unset through. */
function checkInteger(option: string, value: unknown, min: number, max: number): void {
  checkOptional(option, value, integer(min, max));
}

async function loadIdentity(
  dataDir: string | undefined,
): Promise<{ channelId?: string; eventDataStoreId?: string }> {
  if (dataDir === undefined) return {};
  try {
    return JSON.parse(await readFile(join(dataDir, IDENTITY_FILE_NAME), 'utf8')) as {
      channelId?: string;
      eventDataStoreId?: string;
    };
  } catch {
    return {};
  }
}

export async function resolveEmulatorOptions(
  options: EmulatorOptions = {},
): Promise<ResolvedEmulatorOptions> {
  const fromFile = options.configFile === undefined ? {} : await readConfigFile(options.configFile);
  const merged: EmulatorOptions = {
    ...fromFile,
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
  };
  checkInteger('port', merged.port, 0, 65_535);
  checkInteger('maxRequestBytes', merged.maxRequestBytes, 1, 64 * 1024 * 1024);
  checkInteger('maxClockSkewMillis', merged.maxClockSkewMillis, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('maxReceivedRequests', merged.maxReceivedRequests, 0, Number.MAX_SAFE_INTEGER);
  const credentials = merged.credentials ?? [];
  for (const [index, credential] of credentials.entries()) {
    if (
      typeof credential.accessKeyId !== 'string' ||
      credential.accessKeyId === '' ||
      typeof credential.secretAccessKey !== 'string' ||
      credential.secretAccessKey === ''
    ) {
      throw new ConfigError(
        `credentials[${index}]`,
        `Expected \`credentials[${index}]\` to have a non-empty accessKeyId and secretAccessKey`,
      );
    }
    check(`credentials[${index}].accountId`, credential.accountId, ACCOUNT_ID_RULE);
  }
  const region = merged.region ?? EMULATOR_DEFAULTS.region;
  const accountId = merged.accountId ?? credentials[0]?.accountId ?? EMULATOR_DEFAULTS.accountId;
  check('accountId', accountId, ACCOUNT_ID_RULE);
  const dataDir = merged.dataDir;
  const identity = await loadIdentity(dataDir);
  const channelId = identity.channelId ?? randomUUID();
  const eventDataStoreId = merged.eventDataStoreId ?? identity.eventDataStoreId ?? randomUUID();
  if (
    dataDir !== undefined &&
    (identity.channelId === undefined || identity.eventDataStoreId !== eventDataStoreId)
  ) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(
      join(dataDir, IDENTITY_FILE_NAME),
      `${JSON.stringify({ channelId, eventDataStoreId })}\n`,
    );
  }
  const channels =
    merged.channels !== undefined && merged.channels.length > 0
      ? merged.channels
      : [
          {
            channelArn: `arn:${EMULATOR_DEFAULTS.partition}:cloudtrail:${region}:${accountId}:channel/${channelId}`,
          },
        ];
  return {
    port: merged.port ?? EMULATOR_DEFAULTS.port,
    host: merged.host ?? EMULATOR_DEFAULTS.host,
    dataDir,
    credentials,
    channels,
    region,
    accountId,
    eventDataStoreId,
    faults: validateFaults(merged.faults ?? {}),
    seed: merged.seed ?? EMULATOR_DEFAULTS.seed,
    maxRequestBytes: merged.maxRequestBytes ?? PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES,
    maxClockSkewMillis: merged.maxClockSkewMillis ?? EMULATOR_DEFAULTS.maxClockSkewMillis,
    maxReceivedRequests: merged.maxReceivedRequests ?? EMULATOR_DEFAULTS.maxReceivedRequests,
    now: merged.now ?? Date.now,
    log: merged.log,
  };
}
