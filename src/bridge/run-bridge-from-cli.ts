import { parseArgs } from 'node:util';
import { ENV_VARS } from '../env.js';
import { ConfigError } from '../errors.js';
import { BRIDGE_ENV, loadBridgeConfigFile, type BridgeOptions } from './bridge-options.js';
import { startBridge, type Bridge } from './start-bridge.js';

/** Usage text of the `bridge` command, for the CLI's help. */
export const BRIDGE_FLAGS_HELP = `Usage: otel-cloudtrail-lake bridge [options]

Receives OTLP/HTTP logs on POST /v1/logs and OTLP/gRPC logs on --grpc-port, and exports audit
records to CloudTrail Lake.
Serves GET /healthz, /readyz and /metrics (Prometheus, authenticated like /v1/logs).
Exit codes: 0 drained; 1 records left pending, acknowledged records lost, or startup failed; 2 usage error.

Options (each overrides its env var, which overrides the config file):
  --config <file>                 YAML config with \`bridge:\` and \`exporter:\` sections  (${BRIDGE_ENV.config})
  --host <address>                interface to listen on, 0.0.0.0 for all           (${BRIDGE_ENV.host})
  --port <n>                      port, 0 for any free one                          (${BRIDGE_ENV.port})
  --grpc-port <n>                 OTLP/gRPC port, 0 for any free one                (${BRIDGE_ENV.grpcPort})
  --no-grpc                       receive OTLP/HTTP only                            (${BRIDGE_ENV.grpc}=false)
  --max-body-bytes <n>            largest body, before and after gzip               (${BRIDGE_ENV.maxBodyBytes})
  --max-queue-size <n>            pending records before 429                        (${BRIDGE_ENV.maxQueueSize})
  --retry-after-seconds <n>       Retry-After of 429/503 answers                    (${BRIDGE_ENV.retryAfterSeconds})
  --drain-timeout-millis <n>      time SIGTERM gives the queue to export            (${BRIDGE_ENV.drainTimeoutMillis})
  --no-redact                     export values of sensitive keys as they are       (${BRIDGE_ENV.redact}=false)
  --auth-tokens-file <file>       clients and their bearer tokens (or SHA-256 digests)  (${BRIDGE_ENV.authTokensFile})
  --insecure-no-auth              allow a non-loopback --host without authentication (${BRIDGE_ENV.insecureNoAuth}=true)
  --tls-cert <file>               PEM certificate chain: serve HTTPS                 (${BRIDGE_ENV.tlsCert})
  --tls-key <file>                PEM private key of --tls-cert                      (${BRIDGE_ENV.tlsKey})
  --tls-client-ca <file>          require client certificates signed by this CA      (${BRIDGE_ENV.tlsClientCa})
  --max-records-per-request <n>   log records in one request                        (${BRIDGE_ENV.maxRecordsPerRequest})
  --max-attributes-per-record <n> attributes of one record, scope or resource       (${BRIDGE_ENV.maxAttributesPerRecord})
  --max-any-value-depth <n>       nesting of AnyValue arrays and maps               (${BRIDGE_ENV.maxAnyValueDepth})
  --max-decoded-bytes <n>         estimated decoded size of one request             (${BRIDGE_ENV.maxDecodedBytes})
  --max-concurrent-requests <n>   requests decoded at once before 429               (${BRIDGE_ENV.maxConcurrentRequests})
  --headers-timeout-millis <n>    time to send the request headers                  (${BRIDGE_ENV.headersTimeoutMillis})
  --request-timeout-millis <n>    time to send the whole request                    (${BRIDGE_ENV.requestTimeoutMillis})
  --max-connections <n>           open connections                                  (${BRIDGE_ENV.maxConnections})
  --spool-directory <dir>         keep accepted records on disk until delivered     (${ENV_VARS.spoolDirectory})
  --channel-arn <arn>             CloudTrail Lake channel (OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN)
  --endpoint <url>                custom endpoint, e.g. the emulator (OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT)
  -h, --help                      show this help
`;

/** Where the CLI writes and how it ends; injectable so tests and the CLI engineer can drive it. */
export interface BridgeCliIo {
  /** One line of normal output. @default process.stdout */
  out?: (line: string) => void;
  /** One line of error output. @default process.stderr */
  err?: (line: string) => void;
  /** Environment to read. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Called once the bridge is listening, e.g. to learn its URL in tests. */
  onStarted?: (bridge: Bridge) => void;
}

function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new ConfigError(name, `Expected --${name} to be a non-negative integer, got \`${value}\``);
  return Number(value);
}

/** Parses the flags and the config file into BridgeOptions, with flags > env > file precedence. */
export async function parseBridgeArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<BridgeOptions | 'help'> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'grpc-port': { type: 'string' },
        'no-grpc': { type: 'boolean' },
        'max-body-bytes': { type: 'string' },
        'max-queue-size': { type: 'string' },
        'retry-after-seconds': { type: 'string' },
        'drain-timeout-millis': { type: 'string' },
        'no-redact': { type: 'boolean' },
        'auth-tokens-file': { type: 'string' },
        'insecure-no-auth': { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-client-ca': { type: 'string' },
        'max-records-per-request': { type: 'string' },
        'max-attributes-per-record': { type: 'string' },
        'max-any-value-depth': { type: 'string' },
        'max-decoded-bytes': { type: 'string' },
        'max-concurrent-requests': { type: 'string' },
        'headers-timeout-millis': { type: 'string' },
        'request-timeout-millis': { type: 'string' },
        'max-connections': { type: 'string' },
        'spool-directory': { type: 'string' },
        'channel-arn': { type: 'string' },
        endpoint: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    throw new ConfigError('argv', `${(cause as Error).message}\n\n${BRIDGE_FLAGS_HELP}`, { cause });
  }
  const flags = parsed.values;
  if (flags.help === true) return 'help';
  const configPath = flags.config ?? env[BRIDGE_ENV.config];
  const file: BridgeOptions =
    configPath === undefined || configPath === '' ? {} : await loadBridgeConfigFile(configPath);
  // A value set in the environment beats the file: drop the file's value so resolveBridgeOptions reads the env.
  const fromFile: Record<string, unknown> = { ...file };
  for (const [option, name] of Object.entries(BRIDGE_ENV)) {
    if (env[name] !== undefined && env[name] !== '') delete fromFile[option];
  }
  if (env[BRIDGE_ENV.redactPatterns] !== undefined) delete fromFile['redact'];
  // The processor reads OTEL_BLRP_* and the spool directory itself, below its options: the file's yield.
  const isSet = (name: string): boolean => env[name] !== undefined && env[name] !== '';
  if (isSet(ENV_VARS.maxQueueSize)) delete fromFile['maxQueueSize'];
  if (isSet(ENV_VARS.spoolDirectory)) delete fromFile['spool'];
  if (typeof file.batch === 'object' && file.batch !== null) {
    const batch: Record<string, unknown> = { ...file.batch };
    for (const key of ['maxExportBatchSize', 'scheduledDelayMillis', 'exportTimeoutMillis'] as const) {
      if (isSet(ENV_VARS[key])) delete batch[key];
    }
    fromFile['batch'] = batch;
  }
  const options: BridgeOptions = { ...(fromFile as BridgeOptions) };
  const set = <K extends keyof BridgeOptions>(key: K, value: BridgeOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('host', flags.host);
  set('port', integerFlag('port', flags.port));
  set('grpcPort', integerFlag('grpc-port', flags['grpc-port']));
  if (flags['no-grpc'] === true) options.grpc = false;
  set('maxBodyBytes', integerFlag('max-body-bytes', flags['max-body-bytes']));
  set('maxQueueSize', integerFlag('max-queue-size', flags['max-queue-size']));
  set('retryAfterSeconds', integerFlag('retry-after-seconds', flags['retry-after-seconds']));
  set('drainTimeoutMillis', integerFlag('drain-timeout-millis', flags['drain-timeout-millis']));
  if (flags['no-redact'] === true) options.redact = false;
  set('authTokensFile', flags['auth-tokens-file']);
  if (flags['insecure-no-auth'] === true) options.insecureNoAuth = true;
  set('tlsCert', flags['tls-cert']);
  set('tlsKey', flags['tls-key']);
  set('tlsClientCa', flags['tls-client-ca']);
  set('maxRecordsPerRequest', integerFlag('max-records-per-request', flags['max-records-per-request']));
  set('maxAttributesPerRecord', integerFlag('max-attributes-per-record', flags['max-attributes-per-record']));
  set('maxAnyValueDepth', integerFlag('max-any-value-depth', flags['max-any-value-depth']));
  set('maxDecodedBytes', integerFlag('max-decoded-bytes', flags['max-decoded-bytes']));
  set('maxConcurrentRequests', integerFlag('max-concurrent-requests', flags['max-concurrent-requests']));
  set('headersTimeoutMillis', integerFlag('headers-timeout-millis', flags['headers-timeout-millis']));
  set('requestTimeoutMillis', integerFlag('request-timeout-millis', flags['request-timeout-millis']));
  set('maxConnections', integerFlag('max-connections', flags['max-connections']));
  if (flags['spool-directory'] !== undefined) options.spool = { directory: flags['spool-directory'] };
  if (flags['channel-arn'] !== undefined || flags.endpoint !== undefined) {
    options.exporterOptions = {
      ...options.exporterOptions,
      ...(flags['channel-arn'] === undefined ? {} : { channelArn: flags['channel-arn'] }),
      ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
    };
  }
  return options;
}

/**
 * The `bridge` command: starts the bridge, then on SIGTERM or SIGINT stops accepting, exports the queue
 * within `drainTimeoutMillis` and resolves. A second signal gives up waiting at once.
 * @returns the process exit code: 0 when everything was drained, 1 when records were left pending, records
 *   acknowledged to clients were lost, or startup failed, 2 for usage errors.
 */
export async function runBridgeFromCli(argv: readonly string[], io: BridgeCliIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const env = io.env ?? process.env;
  let bridge: Bridge;
  try {
    const options = await parseBridgeArgs(argv, env);
    if (options === 'help') {
      out(BRIDGE_FLAGS_HELP);
      return 0;
    }
    bridge = await startBridge(options, env);
  } catch (error) {
    err(`bridge: ${(error as Error).message}`);
    return error instanceof ConfigError ? 2 : 1;
  }
  out(`otel-cloudtrail-lake bridge listening on ${bridge.logsUrl}`);
  if (bridge.grpcUrl !== undefined)
    out(`otel-cloudtrail-lake bridge listening for OTLP/gRPC on ${bridge.grpcUrl}`);
  io.onStarted?.(bridge);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        err(
          `bridge: ${signal} again, exiting without waiting for ${bridge.pendingRecords} pending record(s)`,
        );
        resolve(1);
        return;
      }
      stopping = true;
      out(
        `bridge: ${signal} received, draining ${bridge.pendingRecords} pending record(s) (up to ${bridge.options.drainTimeoutMillis} ms)`,
      );
      void bridge.close().then((result) => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        if (result.lostRecords > 0) {
          err(
            `bridge: ${result.lostRecords} acknowledged record(s) were lost (not accepted by CloudTrail Lake, not kept)`,
          );
        }
        if (result.deadlinePassed) {
          err(`bridge: drain deadline passed with ${result.pendingRecords} record(s) not exported`);
        } else if (result.pendingRecords > 0) {
          err(
            `bridge: ${result.pendingRecords} record(s) not delivered stay in the spool for the next start`,
          );
        } else if (result.drained && result.lostRecords === 0) out('bridge: drained, exiting');
        resolve(result.drained && result.lostRecords === 0 ? 0 : 1);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
