// Covers resolveEndpoint: regular, FIPS, dual-stack and FIPS+dual-stack hosts per partition, the AWS
// env vars, and custom endpoints (and their conflicts). ARN parsing is in channel-arn.test.ts.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { resolveEndpoint } from '../../../src/transport/resolve-endpoint.js';

const noEnv = {};

describe('resolveEndpoint', () => {
  it.each([
    ['us-east-1', false, false, 'https://cloudtrail-data.us-east-1.amazonaws.com/'],
    ['us-east-1', true, false, 'https://cloudtrail-data-fips.us-east-1.amazonaws.com/'],
    ['us-east-1', false, true, 'https://cloudtrail-data.us-east-1.api.aws/'],
    ['us-east-1', true, true, 'https://cloudtrail-data-fips.us-east-1.api.aws/'],
    ['cn-north-1', false, false, 'https://cloudtrail-data.cn-north-1.amazonaws.com.cn/'],
    ['cn-north-1', false, true, 'https://cloudtrail-data.cn-north-1.api.amazonwebservices.com.cn/'],
    ['us-gov-west-1', true, false, 'https://cloudtrail-data-fips.us-gov-west-1.amazonaws.com/'],
  ])(
    'region %s, fips %s, dual-stack %s gives %s',
    (region, useFipsEndpoint, useDualstackEndpoint, expected) => {
      expect(resolveEndpoint({ region, useFipsEndpoint, useDualstackEndpoint, env: noEnv }).href).toBe(
        expected,
      );
    },
  );

  it('reads AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT, case-insensitively', () => {
    const env = { AWS_USE_FIPS_ENDPOINT: 'TRUE', AWS_USE_DUALSTACK_ENDPOINT: 'true' };
    expect(resolveEndpoint({ region: 'eu-west-1', env }).host).toBe('cloudtrail-data-fips.eu-west-1.api.aws');
  });

  it('lets options win over the env vars', () => {
    const env = { AWS_USE_FIPS_ENDPOINT: 'true' };
    expect(resolveEndpoint({ region: 'eu-west-1', useFipsEndpoint: false, env }).host).toBe(
      'cloudtrail-data.eu-west-1.amazonaws.com',
    );
  });

  it('ignores an env var that is neither true nor false', () => {
    expect(resolveEndpoint({ region: 'eu-west-1', env: { AWS_USE_FIPS_ENDPOINT: 'yes' } }).host).toBe(
      'cloudtrail-data.eu-west-1.amazonaws.com',
    );
  });

  it('uses a custom endpoint as given, over every computed one', () => {
    expect(resolveEndpoint({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4599', env: noEnv }).href).toBe(
      'http://127.0.0.1:4599/',
    );
  });

  it('reads AWS_ENDPOINT_URL_CLOUDTRAIL_DATA before AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL: 'http://global:1', AWS_ENDPOINT_URL_CLOUDTRAIL_DATA: 'http://service:2' };
    expect(resolveEndpoint({ region: 'eu-west-1', env }).host).toBe('service:2');
    expect(resolveEndpoint({ region: 'eu-west-1', env: { AWS_ENDPOINT_URL: 'http://global:1' } }).host).toBe(
      'global:1',
    );
  });

  it('rejects a custom endpoint combined with FIPS or dual-stack, as the AWS rule-set does', () => {
    for (const flags of [{ useFipsEndpoint: true }, { useDualstackEndpoint: true }]) {
      expect(() =>
        resolveEndpoint({ region: 'eu-west-1', endpoint: 'https://vpce.example', env: noEnv, ...flags }),
      ).toThrow(ConfigError);
    }
  });

  it('rejects an endpoint that is not an http(s) URL, naming the option and value', () => {
    expect(() => resolveEndpoint({ region: 'eu-west-1', endpoint: 'ftp://x', env: noEnv })).toThrow(
      /`endpoint`.*ftp:\/\/x/,
    );
    expect(() => resolveEndpoint({ region: 'eu-west-1', endpoint: 'not a url', env: noEnv })).toThrow(
      ConfigError,
    );
  });

  it('rejects dual-stack in a partition without it', () => {
    expect(() =>
      resolveEndpoint({ region: 'us-iso-east-1', useDualstackEndpoint: true, env: noEnv }),
    ).toThrow(/dual-stack/);
  });
});
