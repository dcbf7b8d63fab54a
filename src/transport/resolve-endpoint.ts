import { ConfigError } from '../errors.js';
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
  /** A full URL (VPC endpoint, local emulator) that replaces the computed endpoint. */
  endpoint?: string | undefined;
  /** @default env `AWS_USE_FIPS_ENDPOINT`, else false */
  useFipsEndpoint?: boolean | undefined;
  /** @default env `AWS_USE_DUALSTACK_ENDPOINT`, else false */
  useDualstackEndpoint?: boolean | undefined;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

const diag = componentLogger('CloudTrailLakeTransport');

function readBooleanEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): boolean | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  diag.warn(`Ignoring env ${name}: expected \`true\` or \`false\`, got \`${raw}\``);
  return undefined;
}

/** Validates a custom endpoint: an http(s) URL with no query or fragment. */
export function parseCustomEndpoint(endpoint: string, option = 'endpoint'): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new ConfigError(option, `Expected \`${option}\` to be an http(s) URL, got \`${endpoint}\``, {
      cause: error,
    });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(
      option,
      `Expected \`${option}\` to be an http(s) URL without query or fragment, got \`${endpoint}\``,
    );
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
  const useFips = options.useFipsEndpoint ?? readBooleanEnv(env, 'AWS_USE_FIPS_ENDPOINT') ?? false;
  const useDualstack =
    options.useDualstackEndpoint ?? readBooleanEnv(env, 'AWS_USE_DUALSTACK_ENDPOINT') ?? false;
  // AWS_ENDPOINT_URL_<SERVICE_ID> beats the global AWS_ENDPOINT_URL, as in the SDKs.
  const envEndpointName = ['AWS_ENDPOINT_URL_CLOUDTRAIL_DATA', 'AWS_ENDPOINT_URL'].find(
    (name) => (env[name]?.trim() ?? '') !== '',
  );
  const endpoint =
    options.endpoint ?? (envEndpointName === undefined ? undefined : env[envEndpointName]?.trim());
  if (endpoint !== undefined) {
    const option = options.endpoint === undefined ? (envEndpointName ?? 'endpoint') : 'endpoint';
    if (useFips || useDualstack) {
      const flag = useFips ? 'useFipsEndpoint' : 'useDualstackEndpoint';
      throw new ConfigError(
        option,
        `A custom \`${option}\` (\`${endpoint}\`) cannot be combined with \`${flag}\`: the custom endpoint replaces both`,
      );
    }
    return parseCustomEndpoint(endpoint, option);
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
