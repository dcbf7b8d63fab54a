import { ConfigError } from '../errors.js';
import { DEFAULTS } from '../defaults.js';
import { EXTERNAL_ID_MAX_CHARS, EXTERNAL_ID_MIN_CHARS, EXTERNAL_ID_PATTERN } from '../limits.js';
import { systemClock, type Clock } from '../internal/clock.js';
import type { CredentialsOption } from './credentials-provider.js';

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** `arn:{partition}:cloudtrail:{region}:{account}:channel/{id}`, or a bare channel id with `region`. */
  channelArn: string;
  /** @default the region in `channelArn` */
  region?: string | undefined;
  /** The channel owner, to complete a bare channel id into an ARN. @default the account in `channelArn` */
  accountId?: string | undefined;
  /** Replaces the computed endpoint (VPC endpoint, emulator). @default env `AWS_ENDPOINT_URL_CLOUDTRAIL_DATA`, else computed */
  endpoint?: string | undefined;
  /** @default env `AWS_USE_FIPS_ENDPOINT`, else false */
  useFipsEndpoint?: boolean | undefined;
  /** @default env `AWS_USE_DUALSTACK_ENDPOINT`, else false */
  useDualstackEndpoint?: boolean | undefined;
  /** Static credentials or a provider. @default the AWS default credential chain, loaded on first send */
  credentials?: CredentialsOption | undefined;
  /** Sent as the `externalId` query parameter when the channel's resource policy requires one. */
  externalId?: string | undefined;
  /** Timeout of one HTTP attempt, in milliseconds. @default DEFAULTS.requestTimeoutMillis */
  requestTimeoutMillis?: number | undefined;
  /** Sockets kept per origin. @default DEFAULTS.maxConcurrentRequests */
  maxSockets?: number | undefined;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
}

function checkExternalId(externalId: string | undefined): void {
  if (externalId === undefined) return;
  const length = externalId.length;
  if (
    length < EXTERNAL_ID_MIN_CHARS ||
    length > EXTERNAL_ID_MAX_CHARS ||
    !EXTERNAL_ID_PATTERN.test(externalId)
  ) {
    // The value is not a secret, but it is a guard: report its length, not its content.
    throw new ConfigError(
      'externalId',
      `Expected \`externalId\` to be ${EXTERNAL_ID_MIN_CHARS} to ${EXTERNAL_ID_MAX_CHARS} characters of [\\w+=,.@:/-], got ${length} characters`,
    );
  }
}

function checkPositiveInteger(option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      option,
      `Expected \`${option}\` to be a positive integer, got \`${value}\` (${typeof value})`,
    );
  }
}

/** Checks the options that are not checked where they are used, and fills in the defaults. */
export function resolveHttpTransportOptions(options: HttpTransportOptions): {
  requestTimeoutMillis: number;
  maxSockets: number;
  clock: Clock;
} {
  checkExternalId(options.externalId);
  const requestTimeoutMillis = options.requestTimeoutMillis ?? DEFAULTS.requestTimeoutMillis;
  checkPositiveInteger('requestTimeoutMillis', requestTimeoutMillis);
  const maxSockets = options.maxSockets ?? DEFAULTS.maxConcurrentRequests;
  checkPositiveInteger('maxSockets', maxSockets);
  return { requestTimeoutMillis, maxSockets, clock: options.clock ?? systemClock };
}
