import { DEFAULTS } from '../defaults.js';
import { ENV_VARS } from '../env.js';
import { ConfigError } from '../errors.js';
import {
  boolean,
  check,
  checkOptional,
  integer,
  resolveOption,
  resolveOptionalOption,
  secretText,
  text,
  type Env,
  type Rule,
} from '../internal/check-option.js';
import { systemClock, type Clock } from '../internal/clock.js';
import {
  ACCOUNT_ID_PATTERN,
  EXTERNAL_ID_MAX_CHARS,
  EXTERNAL_ID_MIN_CHARS,
  EXTERNAL_ID_PATTERN,
  MAX_TIMER_MILLIS,
} from '../limits.js';
import { parseChannelArn, type ChannelArn } from './channel-arn.js';
import type { CredentialsOption } from './credentials-provider.js';
import { resolveEndpoint } from './resolve-endpoint.js';
import {
  resolveNetworkOptions,
  type NetworkOptions,
  type ResolvedNetworkOptions,
} from './network-options.js';

export type { NetworkOptions, ResolvedNetworkOptions } from './network-options.js';

/** Options of the built-in HTTP transport, before precedence and checks. */
export interface HttpTransportOptions extends NetworkOptions {
  /** `arn:{partition}:cloudtrail:{region}:{account}:channel/{id}`, or a bare channel id with `region`. */
  channelArn?: string | undefined;
  /** @default the region in `channelArn` */
  region?: string | undefined;
  /** The channel owner, to complete a bare channel id into an ARN. @default the account in `channelArn` */
  accountId?: string | undefined;
  /** Replaces the computed endpoint (VPC endpoint, emulator). @default env, else computed from the region */
  endpoint?: string | undefined;
  /** @default env `AWS_USE_FIPS_ENDPOINT`, else false */
  useFipsEndpoint?: boolean | undefined;
  /** @default env `AWS_USE_DUALSTACK_ENDPOINT`, else false */
  useDualstackEndpoint?: boolean | undefined;
  /** Allow a plain `http://` endpoint on a host other than this one (a warning is logged). @default false */
  allowInsecureHttp?: boolean | undefined;
  /** Static credentials or a provider. @default the AWS default credential chain, loaded on first send */
  credentials?: CredentialsOption | undefined;
  /** Sent as the `externalId` query parameter when the channel's resource policy requires one. */
  externalId?: string | undefined;
  /** Timeout of one HTTP attempt, in milliseconds. @default DEFAULTS.requestTimeoutMillis */
  requestTimeoutMillis?: number | undefined;
  /** Connections kept per origin. @default DEFAULTS.maxConcurrentRequests */
  maxSockets?: number | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
}

/** The channel, after the ARN is parsed once. */
export interface ResolvedChannel {
  channel: ChannelArn;
  externalId: string | undefined;
}

/** What the HTTP transport receives: every option checked and every env var read, once. */
export interface ResolvedHttpTransportOptions extends ResolvedChannel {
  /** The base URL PutAuditEvents is sent to (without `/PutAuditEvents`). */
  endpoint: URL;
  credentials: CredentialsOption | undefined;
  requestTimeoutMillis: number;
  maxSockets: number;
  network: ResolvedNetworkOptions;
  clock: Clock;
}

/** The channel policy's external id: the AWS IAM rule for `sts:ExternalId`. Never printed, only its length. */
export const EXTERNAL_ID_RULE: Rule<string> = {
  ...secretText(
    `${EXTERNAL_ID_MIN_CHARS} to ${EXTERNAL_ID_MAX_CHARS} characters of [\\w+=,.@:/-]`,
    EXTERNAL_ID_PATTERN,
  ),
  test: (value): value is string =>
    typeof value === 'string' &&
    value.length >= EXTERNAL_ID_MIN_CHARS &&
    value.length <= EXTERNAL_ID_MAX_CHARS &&
    EXTERNAL_ID_PATTERN.test(value),
};

/** The transport's options as data: env var, rule, default. */
export const HTTP_TRANSPORT_OPTIONS = {
  channelArn: { env: ENV_VARS.channelArn, rule: text('a CloudTrail Lake channel ARN') },
  region: { env: ENV_VARS.region, rule: text('an AWS region such as `us-east-1`') },
  externalId: { env: ENV_VARS.externalId, rule: EXTERNAL_ID_RULE },
  useFipsEndpoint: { env: ENV_VARS.useFipsEndpoint, rule: boolean },
  useDualstackEndpoint: { env: ENV_VARS.useDualstackEndpoint, rule: boolean },
  allowInsecureHttp: { env: ENV_VARS.allowInsecureHttp, rule: boolean, default: false },
  requestTimeoutMillis: {
    env: ENV_VARS.requestTimeoutMillis,
    rule: integer(1, MAX_TIMER_MILLIS),
    default: DEFAULTS.requestTimeoutMillis,
  },
} as const;

const ACCOUNT_ID_RULE = text('a 12-digit AWS account id', ACCOUNT_ID_PATTERN);

/**
 * Parses the channel once: option > env, checked with the one external-id rule.
 * @throws ConfigError without a channel or with a malformed one
 */
export function resolveChannel(
  user: Pick<HttpTransportOptions, 'channelArn' | 'region' | 'accountId' | 'externalId'>,
  env: Env,
): ResolvedChannel {
  const channelArn = resolveOptionalOption(
    'channelArn',
    HTTP_TRANSPORT_OPTIONS.channelArn,
    user.channelArn,
    env,
  );
  if (channelArn === undefined) {
    throw new ConfigError(
      'channelArn',
      `Expected \`channelArn\` (or env ${ENV_VARS.channelArn}) to be set, got nothing`,
    );
  }
  const channel = parseChannelArn(channelArn, {
    region: resolveOptionalOption('region', HTTP_TRANSPORT_OPTIONS.region, user.region, env),
    accountId: checkOptional('recipientAccountId', user.accountId, ACCOUNT_ID_RULE),
  });
  return {
    channel,
    externalId: resolveOptionalOption('externalId', HTTP_TRANSPORT_OPTIONS.externalId, user.externalId, env),
  };
}

/**
 * Applies option > env > DEFAULTS to everything the HTTP transport needs, once: the channel, the endpoint
 * (refusing userinfo, and plain http to another host unless allowed), timeouts, TLS and proxies.
 * @throws ConfigError naming the option or env var
 */
export function resolveHttpTransportOptions(
  user: HttpTransportOptions,
  env: Env = process.env,
  resolved: ResolvedChannel = resolveChannel(user, env),
): ResolvedHttpTransportOptions {
  const endpoint = resolveEndpoint({
    region: resolved.channel.region,
    partition: resolved.channel.partition,
    endpoint: user.endpoint,
    useFipsEndpoint: resolveOptionalOption(
      'useFipsEndpoint',
      HTTP_TRANSPORT_OPTIONS.useFipsEndpoint,
      user.useFipsEndpoint,
      env,
    ),
    useDualstackEndpoint: resolveOptionalOption(
      'useDualstackEndpoint',
      HTTP_TRANSPORT_OPTIONS.useDualstackEndpoint,
      user.useDualstackEndpoint,
      env,
    ),
    allowInsecureHttp: resolveOption(
      'allowInsecureHttp',
      HTTP_TRANSPORT_OPTIONS.allowInsecureHttp,
      user.allowInsecureHttp,
      env,
    ),
    env,
  });
  return {
    ...resolved,
    endpoint,
    credentials: user.credentials,
    requestTimeoutMillis: resolveOption(
      'requestTimeoutMillis',
      HTTP_TRANSPORT_OPTIONS.requestTimeoutMillis,
      user.requestTimeoutMillis,
      env,
    ),
    maxSockets: check('maxSockets', user.maxSockets ?? DEFAULTS.maxConcurrentRequests, integer(1, 1_000)),
    network: resolveNetworkOptions(user, env),
    clock: user.clock ?? systemClock,
  };
}
