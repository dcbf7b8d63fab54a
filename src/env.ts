/**
 * The names of the environment variables the exporter and the processor read. A deployment can set
 * every option it needs here, without code: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_*` for this library, the
 * OTel SDK's `OTEL_BLRP_*` for batching (the sdk-logs BatchLogRecordProcessor does not read them itself),
 * and the AWS SDKs' own variables for endpoints, CA bundle and proxies. How each is checked, and its
 * default, is declared next to the option it feeds (`options.ts`, `processor/processor-options.ts`);
 * `docs/configuration.md` lists them all, and a test keeps that table and the code in step.
 */
export type { Env } from './internal/check-option.js';

const PREFIX = 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_';

/** Every variable of this library, by the option it feeds. */
export const ENV_VARS = Object.freeze({
  channelArn: `${PREFIX}CHANNEL_ARN`,
  endpoint: `${PREFIX}ENDPOINT`,
  region: `${PREFIX}REGION`,
  externalId: `${PREFIX}EXTERNAL_ID`,
  recipientAccountId: `${PREFIX}RECIPIENT_ACCOUNT_ID`,
  useFipsEndpoint: `${PREFIX}USE_FIPS_ENDPOINT`,
  useDualstackEndpoint: `${PREFIX}USE_DUALSTACK_ENDPOINT`,
  allowInsecureHttp: `${PREFIX}ALLOW_INSECURE_HTTP`,
  timeoutMillis: `${PREFIX}TIMEOUT`,
  requestTimeoutMillis: `${PREFIX}REQUEST_TIMEOUT`,
  maxConcurrentRequests: `${PREFIX}MAX_CONCURRENT_REQUESTS`,
  maxRequestsPerSecond: `${PREFIX}MAX_REQUESTS_PER_SECOND`,
  maxEventsPerRequest: `${PREFIX}MAX_EVENTS_PER_REQUEST`,
  maxRequestBytes: `${PREFIX}MAX_REQUEST_BYTES`,
  retryMaxAttempts: `${PREFIX}RETRY_MAX_ATTEMPTS`,
  retryInitialBackoffMillis: `${PREFIX}RETRY_INITIAL_BACKOFF`,
  retryMaxBackoffMillis: `${PREFIX}RETRY_MAX_BACKOFF`,
  includeAttributes: `${PREFIX}INCLUDE_ATTRIBUTES`,
  truncate: `${PREFIX}TRUNCATE`,
  defaultUserIdentityType: `${PREFIX}DEFAULT_USER_IDENTITY_TYPE`,
  defaultEventSource: `${PREFIX}DEFAULT_EVENT_SOURCE`,
  defaultVersion: `${PREFIX}DEFAULT_VERSION`,
  deadLetterPath: `${PREFIX}DEAD_LETTER_PATH`,
  receiptsPath: `${PREFIX}RECEIPTS_PATH`,
  /** A PEM file of CA certificates to trust, as OTel's `OTEL_EXPORTER_OTLP_CERTIFICATE`. */
  certificate: `${PREFIX}CERTIFICATE`,
  /** A PEM file with the client certificate (mutual TLS), as `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE`. */
  clientCertificate: `${PREFIX}CLIENT_CERTIFICATE`,
  /** A PEM file with the client's private key, as `OTEL_EXPORTER_OTLP_CLIENT_KEY`. */
  clientKey: `${PREFIX}CLIENT_KEY`,
  spoolDirectory: `${PREFIX}SPOOL_DIRECTORY`,
  spoolMaxBytes: `${PREFIX}SPOOL_MAX_BYTES`,
  spoolFsync: `${PREFIX}SPOOL_FSYNC`,
  maxConcurrentExports: `${PREFIX}MAX_CONCURRENT_EXPORTS`,
  scheduledDelayMillis: 'OTEL_BLRP_SCHEDULE_DELAY',
  exportTimeoutMillis: 'OTEL_BLRP_EXPORT_TIMEOUT',
  maxQueueSize: 'OTEL_BLRP_MAX_QUEUE_SIZE',
  maxExportBatchSize: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
} as const);

/**
 * Variables shared with the AWS SDKs and other HTTP clients, read with the same meaning
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-gen-config.html,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 */
export const STANDARD_ENV_VARS = Object.freeze({
  endpointUrlCloudTrailData: 'AWS_ENDPOINT_URL_CLOUDTRAIL_DATA',
  endpointUrl: 'AWS_ENDPOINT_URL',
  useFipsEndpoint: 'AWS_USE_FIPS_ENDPOINT',
  useDualstackEndpoint: 'AWS_USE_DUALSTACK_ENDPOINT',
  /** A PEM file of CA certificates to trust besides Node's (https://docs.aws.amazon.com/sdkref/latest/guide/feature-gen-config.html). */
  caBundle: 'AWS_CA_BUNDLE',
  /** Proxies, in the convention of curl and undici's EnvHttpProxyAgent; lower case wins over upper case. */
  httpsProxy: ['https_proxy', 'HTTPS_PROXY'],
  httpProxy: ['http_proxy', 'HTTP_PROXY'],
  noProxy: ['no_proxy', 'NO_PROXY'],
} as const);
