import { ConfigError } from '../errors.js';
import type { Clock } from '../internal/clock.js';
import { systemClock } from '../internal/clock.js';

/** AWS credentials, shaped like `AwsCredentialIdentity` of the AWS SDK so its providers plug in directly. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  /** When temporary credentials stop working; they are refreshed a while before. */
  readonly expiration?: Date | undefined;
}

/**
 * A function that returns credentials, e.g. `fromIni({ profile })` or `fromTemporaryCredentials(...)` of the
 * AWS SDK. It is called again when the previous credentials are about to expire.
 */
export type AwsCredentialsProvider = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentials>;

/** The `credentials` option: static credentials or a provider. */
export type CredentialsOption = AwsCredentials | AwsCredentialsProvider;

/** Credentials resolved lazily and cached. */
export interface CachedCredentials {
  get(): Promise<AwsCredentials>;
  /** Drops the cache and asks the source again (ExpiredToken recovery). */
  refresh(): Promise<AwsCredentials>;
  /** Whether `refresh()` can yield other credentials than the ones we have (not for static credentials). */
  readonly refreshable: boolean;
}

/** Refresh this long before `expiration`, as the AWS SDKs do (5 minutes), in milliseconds. */
const EXPIRY_MARGIN_MILLIS = 300_000;

function checkCredentials(value: unknown, source: string): AwsCredentials {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const accessKeyId = record['accessKeyId'];
  const secretAccessKey = record['secretAccessKey'];
  if (
    typeof accessKeyId !== 'string' ||
    accessKeyId === '' ||
    typeof secretAccessKey !== 'string' ||
    secretAccessKey === ''
  ) {
    // Name the missing part only; never echo what was given, it may be a secret.
    throw new ConfigError(
      'credentials',
      `Expected \`credentials\` from ${source} to have a non-empty \`accessKeyId\` and \`secretAccessKey\``,
    );
  }
  return value as AwsCredentials;
}

/** Loads the AWS default chain only when used: env, SSO, web identity, shared files, process, ECS/EC2 metadata. */
async function defaultChain(): Promise<AwsCredentialsProvider> {
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider();
}

/**
 * Wraps the `credentials` option (or the AWS default chain when absent) in a cache that asks the source
 * again only when the credentials are within 5 minutes of `expiration`, or on `refresh()`.
 */
export function createCachedCredentials(
  option: CredentialsOption | undefined,
  clock: Clock = systemClock,
): CachedCredentials {
  if (option !== undefined && typeof option !== 'function') {
    const credentials = checkCredentials(option, 'the `credentials` option');
    const resolved = Promise.resolve(credentials);
    return { get: () => resolved, refresh: () => resolved, refreshable: false };
  }
  let provider: Promise<AwsCredentialsProvider> | undefined =
    option === undefined ? undefined : Promise.resolve(option);
  let cached: Promise<AwsCredentials> | undefined;
  let current: AwsCredentials | undefined;

  const load = (forceRefresh: boolean): Promise<AwsCredentials> => {
    provider ??= defaultChain();
    current = undefined;
    const pending = provider
      .then((source) => source(forceRefresh ? { forceRefresh } : undefined))
      .then((value) => {
        current = checkCredentials(
          value,
          option === undefined ? 'the AWS default credential chain' : 'the `credentials` provider',
        );
        return current;
      });
    // A failed load must not stick: the next request asks again (e.g. the metadata service was slow).
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    });
    cached = pending;
    return pending;
  };

  return {
    refreshable: true,
    get() {
      const expiration = current?.expiration?.getTime();
      if (
        cached === undefined ||
        (expiration !== undefined && expiration - EXPIRY_MARGIN_MILLIS <= clock.now())
      ) {
        return load(false);
      }
      return cached;
    },
    refresh: () => load(true),
  };
}
