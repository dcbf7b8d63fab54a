import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
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
import { writePrivateFile } from './private-files.js';
import type { LakeQueryEngine } from './lake-sql/index.js';
import type { RequestQuotaOptions } from './request-quota.js';

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
  maxReceivedBytes: number;
  now: () => number;
  log: ((line: string) => void) | undefined;
  allowedHosts: readonly string[];
  requestQuota: RequestQuotaOptions | undefined;
  maxConcurrentQueries: number;
  queryTimeoutMillis: number;
  queryEngine: LakeQueryEngine | undefined;
}

/** Loopback: 127.0.0.0/8, ::1 and `localhost`; only these may serve without credentials by default. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '::ffff:127.0.0.1';
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
  checkInteger('maxReceivedBytes', merged.maxReceivedBytes, 0, Number.MAX_SAFE_INTEGER);
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
    await writePrivateFile(
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
  const host = merged.host ?? EMULATOR_DEFAULTS.host;
  if (!isLoopbackHost(host) && credentials.length === 0 && merged.insecure !== true) {
    throw new ConfigError(
      'host',
      `Refusing to listen on non-loopback \`host\` ${host} without \`credentials\`: anyone who can reach it could write and read the audit trail. Configure credentials, or pass \`insecure: true\` (--insecure) to accept that.`,
    );
  }
  checkInteger('maxConcurrentQueries', merged.maxConcurrentQueries, 1, 1000);
  checkInteger('queryTimeoutMillis', merged.queryTimeoutMillis, 1, Number.MAX_SAFE_INTEGER);
  const quota = merged.requestQuota;
  if (quota !== undefined && quota !== false) {
    for (const key of ['requestsPerSecond', 'burst'] as const)
      if (quota[key] !== undefined && (typeof quota[key] !== 'number' || !(quota[key] > 0)))
        throw new ConfigError(
          `requestQuota.${key}`,
          `Expected \`requestQuota.${key}\` to be a positive number, got \`${JSON.stringify(quota[key])}\``,
        );
  }
  return {
    allowedHosts: merged.allowedHosts ?? [],
    requestQuota:
      quota === false ? undefined : (quota ?? { requestsPerSecond: EMULATOR_DEFAULTS.requestsPerSecond }),
    maxConcurrentQueries: merged.maxConcurrentQueries ?? EMULATOR_DEFAULTS.maxConcurrentQueries,
    queryTimeoutMillis: merged.queryTimeoutMillis ?? EMULATOR_DEFAULTS.queryTimeoutMillis,
    queryEngine: merged.queryEngine,
    port: merged.port ?? EMULATOR_DEFAULTS.port,
    host,
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
    maxReceivedBytes: merged.maxReceivedBytes ?? EMULATOR_DEFAULTS.maxReceivedBytes,
    now: merged.now ?? Date.now,
    log: merged.log,
  };
}
