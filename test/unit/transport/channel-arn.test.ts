// Covers parseChannelArn: full ARNs in each partition, bare channel ids with an explicit region,
// and the ConfigError for every malformed input. Endpoint selection is in resolve-endpoint.test.ts.
import { describe, expect, it } from 'vitest';
import { ConfigError, ERROR_CODES } from '../../../src/errors.js';
import { parseChannelArn, partitionOfRegion } from '../../../src/transport/channel-arn.js';

const ARN = 'arn:aws:cloudtrail:eu-west-1:123456789012:channel/01234567-89ab-cdef-0123-456789abcdef';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseChannelArn', () => {
  it('reads partition, region, account and channel id from a full ARN', () => {
    expect(parseChannelArn(ARN)).toEqual({
      arn: ARN,
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '123456789012',
      channelId: '01234567-89ab-cdef-0123-456789abcdef',
    });
  });

  it('reads the China and GovCloud partitions', () => {
    expect(parseChannelArn('arn:aws-cn:cloudtrail:cn-north-1:123456789012:channel/abc').partition).toBe(
      'aws-cn',
    );
    expect(parseChannelArn('arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:channel/abc').region).toBe(
      'us-gov-west-1',
    );
  });

  it('accepts an explicit region equal to the one in the ARN and rejects a different one', () => {
    expect(parseChannelArn(ARN, { region: 'eu-west-1' }).region).toBe('eu-west-1');
    const error = configError(() => parseChannelArn(ARN, { region: 'us-east-1' }));
    expect(error.option).toBe('region');
    expect(error.message).toContain('us-east-1');
    expect(error.message).toContain('eu-west-1');
  });

  it('accepts a bare channel id with a region, leaving the account unknown', () => {
    expect(parseChannelArn('my-channel', { region: 'us-east-2' })).toEqual({
      arn: 'my-channel',
      partition: 'aws',
      region: 'us-east-2',
      accountId: undefined,
      channelId: 'my-channel',
    });
  });

  it('completes a bare channel id into an ARN when the account is given', () => {
    const parsed = parseChannelArn('abc', { region: 'cn-northwest-1', accountId: '210987654321' });
    expect(parsed.arn).toBe('arn:aws-cn:cloudtrail:cn-northwest-1:210987654321:channel/abc');
    expect(parsed.accountId).toBe('210987654321');
  });

  it('rejects a bare channel id without a region, naming channelArn and the value', () => {
    const error = configError(() => parseChannelArn('my-channel'));
    expect(error.option).toBe('channelArn');
    expect(error.code).toBe(ERROR_CODES.CONFIG);
    expect(error.message).toContain('my-channel');
    expect(error.message).toContain('region');
  });

  it.each([
    ['an ARN of another service', 'arn:aws:logs:us-east-1:123456789012:log-group/x'],
    ['an ARN with an 11-digit account', 'arn:aws:cloudtrail:us-east-1:12345678901:channel/abc'],
    ['an event data store ARN', 'arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/abc'],
    ['an ARN without channel id', 'arn:aws:cloudtrail:us-east-1:123456789012:channel/'],
    ['an ARN with a bad region', 'arn:aws:cloudtrail:useast1:123456789012:channel/abc'],
    ['a channel id with a space', 'my channel'],
    ['an empty string', ''],
  ])('rejects %s', (_label, value) => {
    const error = configError(() => parseChannelArn(value, { region: 'us-east-1' }));
    expect(error.option).toBe('channelArn');
    if (value !== '') expect(error.message).toContain(value);
  });

  it('rejects a value that is not a string, naming its type', () => {
    const error = configError(() => parseChannelArn(42));
    expect(error.message).toContain('(number)');
  });

  it('rejects a malformed region option', () => {
    expect(configError(() => parseChannelArn('abc', { region: 'US_EAST_1' })).option).toBe('region');
  });
});

describe('partitionOfRegion', () => {
  it('maps region prefixes to partitions', () => {
    expect(partitionOfRegion('us-east-1')).toBe('aws');
    expect(partitionOfRegion('cn-north-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-east-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('us-iso-east-1')).toBe('aws-iso');
    expect(partitionOfRegion('us-isob-east-1')).toBe('aws-iso-b');
  });
});
