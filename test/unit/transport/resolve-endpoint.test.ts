// Covers resolveEndpoint: regular, FIPS, dual-stack and FIPS+dual-stack hosts per partition, the AWS
// env vars, and custom endpoints (and their conflicts, userinfo, plain http). ARN parsing is in
// channel-arn.test.ts.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { resolveEndpoint } from '../../../src/transport/resolve-endpoint.js';
import { captureDiag } from '../../helpers/capture-diag.js';

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
    const env = {
      AWS_ENDPOINT_URL: 'https://global:1',
      AWS_ENDPOINT_URL_CLOUDTRAIL_DATA: 'https://service:2',
    };
    expect(resolveEndpoint({ region: 'eu-west-1', env }).host).toBe('service:2');
    expect(resolveEndpoint({ region: 'eu-west-1', env: { AWS_ENDPOINT_URL: 'https://global:1' } }).host).toBe(
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

  it('refuses an endpoint with a user name or password without printing them back', () => {
    for (const endpoint of ['https://alice:s3cr3t-pw@vpce.example', 'https://alice:s3cr3t-pw@bad host']) {
      let error: unknown;
      try {
        resolveEndpoint({ region: 'eu-west-1', endpoint, env: noEnv });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ option: 'endpoint' });
      expect((error as Error).message).not.toMatch(/s3cr3t-pw|alice/);
    }
    expect(() =>
      resolveEndpoint({
        region: 'eu-west-1',
        env: { AWS_ENDPOINT_URL: 'https://bob:pw-in-env@vpce.example' },
      }),
    ).toThrow(/`AWS_ENDPOINT_URL` to be a URL without a user name or password/);
  });

  it('needs allowInsecureHttp for plain http beyond loopback, and warns once per endpoint', () => {
    const diag = captureDiag();
    try {
      expect(() =>
        resolveEndpoint({ region: 'eu-west-1', endpoint: 'http://10.0.0.5:4599', env: noEnv }),
      ).toThrow(
        /`endpoint` to use https for host `10.0.0.5:4599`.*allowInsecureHttp.*OTEL_EXPORTER_CLOUDTRAIL_LAKE_ALLOW_INSECURE_HTTP/,
      );
      for (const host of ['http://127.0.0.1:1', 'http://localhost:2', 'http://[::1]:3']) {
        expect(resolveEndpoint({ region: 'eu-west-1', endpoint: host, env: noEnv }).protocol).toBe('http:');
      }
      expect(diag.matching('warn', /plain http/)).toHaveLength(0);
      for (let index = 0; index < 2; index += 1) {
        const url = resolveEndpoint({
          region: 'eu-west-1',
          endpoint: 'http://10.0.0.6:4599',
          allowInsecureHttp: true,
          env: noEnv,
        });
        expect(url.host).toBe('10.0.0.6:4599');
      }
      expect(diag.matching('warn', /plain http to 10\.0\.0\.6:4599/)).toHaveLength(1);
    } finally {
      diag.restore();
    }
  });
});
