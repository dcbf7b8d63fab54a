import { ConfigError } from '../errors.js';
import { ENV_VARS, STANDARD_ENV_VARS } from '../env.js';
import { boolean, envText, readEnvOption, type Env } from '../internal/check-option.js';
import { componentLogger } from '../internal/diag.js';
import { partitionOfRegion } from './channel-arn.js';

/**
 * The CloudTrail Data endpoint, following the botocore endpoint rule-set for `cloudtrail-data` and the
 * partitions file (https://docs.aws.amazon.com/general/latest/gr/awscloudtrail.html). The env vars are
 * those every AWS SDK reads
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-endpoints.html and feature-ss-endpoints.html).
 */

/** DNS suffixes per partition: `[regular, dual-stack]`; `undefined` where the partition has no dual-stack. */
const DNS_SUFFIXES: Readonly<Record<string, readonly [string, string | undefined]>> = Object.freeze({
  aws: ['amazonaws.com', 'api.aws'],
  'aws-cn': ['amazonaws.com.cn', 'api.amazonwebservices.com.cn'],
  'aws-us-gov': ['amazonaws.com', 'api.aws'],
  'aws-iso': ['c2s.ic.gov', undefined],
  'aws-iso-b': ['sc2s.sgov.gov', undefined],
  'aws-iso-e': ['cloud.adc-e.uk', undefined],
  'aws-iso-f': ['csp.hci.ic.gov', undefined],
});

export interface ResolveEndpointOptions {
  region: string;
  /** @default the partition of `region` */
  partition?: string | undefined;
  /**
   * A full URL (VPC endpoint, local emulator) that replaces the computed endpoint.
   * @default env `OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT`, `AWS_ENDPOINT_URL_CLOUDTRAIL_DATA`, `AWS_ENDPOINT_URL`
   */
  endpoint?: string | undefined;
  /** @default env `AWS_USE_FIPS_ENDPOINT`, else false */
  useFipsEndpoint?: boolean | undefined;
  /** @default env `AWS_USE_DUALSTACK_ENDPOINT`, else false */
  useDualstackEndpoint?: boolean | undefined;
  /** Accept plain `http://` to a host other than this one. @default false */
  allowInsecureHttp?: boolean | undefined;
  /** @default process.env */
  env?: Env | undefined;
}

const diag = componentLogger('CloudTrailLakeTransport');

/** Hides whatever sits between `//` and `@`, so a password in a malformed URL is never printed back. */
export function hideUserinfo(text: string): string {
  return text.replace(/\/\/[^/?#]*@/, '//…@');
}

/** Hosts that never leave this machine, where plain http exposes nothing on the network. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** Endpoints already warned about as plain http: the warning is logged once per endpoint and process. */
const warnedInsecure = new Set<string>();

/**
 * Validates a custom endpoint: an http(s) URL with no query, fragment or userinfo (a password in a URL
 * ends up in logs and shell histories; credentials go through `credentials`). Plain http to another
 * host sends signed audit events readable on the network, so it needs `allowInsecureHttp`.
 */
export function parseCustomEndpoint(endpoint: string, option = 'endpoint', allowInsecureHttp = false): URL {
  const shown = hideUserinfo(endpoint);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new ConfigError(option, `Expected \`${option}\` to be an http(s) URL, got \`${shown}\``, {
      cause: error,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(
      option,
      `Expected \`${option}\` to be a URL without a user name or password, got one with them for host \`${url.host}\`: give AWS credentials through \`credentials\` or the AWS credential chain`,
    );
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(
      option,
      `Expected \`${option}\` to be an http(s) URL without query or fragment, got \`${shown}\``,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    if (!allowInsecureHttp) {
      throw new ConfigError(
        option,
        `Expected \`${option}\` to use https for host \`${url.host}\`, got http: set \`allowInsecureHttp\` (env ${ENV_VARS.allowInsecureHttp}) to send audit events unencrypted`,
      );
    }
    if (!warnedInsecure.has(url.href)) {
      warnedInsecure.add(url.href);
      diag.warn(
        `Sending audit events over plain http to ${url.host}: anyone on the network path can read them`,
      );
    }
  }
  return url;
}

/**
 * The base URL PutAuditEvents is sent to (without `/PutAuditEvents`). Precedence: option > env > default.
 * @throws ConfigError for a bad endpoint, or a custom endpoint combined with FIPS or dual-stack
 * (the AWS rule-set rejects those combinations too).
 */
export function resolveEndpoint(options: ResolveEndpointOptions): URL {
  const env = options.env ?? process.env;
  const useFips =
    options.useFipsEndpoint ??
    readEnvOption(env, STANDARD_ENV_VARS.useFipsEndpoint, 'useFipsEndpoint', boolean, false) ??
    false;
  const useDualstack =
    options.useDualstackEndpoint ??
    readEnvOption(env, STANDARD_ENV_VARS.useDualstackEndpoint, 'useDualstackEndpoint', boolean, false) ??
    false;
  // Ours first, then AWS_ENDPOINT_URL_<SERVICE_ID> before the global AWS_ENDPOINT_URL, as in the SDKs.
  const envEndpointName = [
    ENV_VARS.endpoint,
    STANDARD_ENV_VARS.endpointUrlCloudTrailData,
    STANDARD_ENV_VARS.endpointUrl,
  ].find((name) => envText(env, name) !== undefined);
  const endpoint =
    options.endpoint ?? (envEndpointName === undefined ? undefined : envText(env, envEndpointName));
  if (endpoint !== undefined) {
    const option = options.endpoint === undefined ? (envEndpointName ?? 'endpoint') : 'endpoint';
    if (useFips || useDualstack) {
      const flag = useFips ? 'useFipsEndpoint' : 'useDualstackEndpoint';
      throw new ConfigError(
        option,
        `A custom \`${option}\` (\`${hideUserinfo(endpoint)}\`) cannot be combined with \`${flag}\`: the custom endpoint replaces both`,
      );
    }
    return parseCustomEndpoint(endpoint, option, options.allowInsecureHttp ?? false);
  }
  const partition = options.partition ?? partitionOfRegion(options.region);
  const suffixes = DNS_SUFFIXES[partition];
  if (suffixes === undefined) {
    throw new ConfigError(
      'channelArn',
      `Unknown AWS partition \`${partition}\`: give \`endpoint\` explicitly`,
    );
  }
  const [regular, dualstack] = suffixes;
  if (useDualstack && dualstack === undefined) {
    throw new ConfigError('useDualstackEndpoint', `Partition \`${partition}\` has no dual-stack endpoints`);
  }
  const host = `cloudtrail-data${useFips ? '-fips' : ''}.${options.region}.${useDualstack ? dualstack : regular}`;
  return new URL(`https://${host}`);
}
