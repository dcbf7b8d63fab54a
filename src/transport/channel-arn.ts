import { ConfigError } from '../errors.js';
import { describeValue } from '../internal/check-option.js';
import { ACCOUNT_ID_PATTERN } from '../limits.js';

/**
 * A CloudTrail Lake channel, from its ARN `arn:{partition}:cloudtrail:{region}:{account}:channel/{id}`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-integration.html).
 */
export interface ChannelArn {
  /**
   * What goes into the `channelArn` query parameter: the full ARN, or the bare channel id when it was given
   * without an account (CloudTrail's channel operations take an id or an ARN; PutAuditEvents's model pattern
   * is `^arn:.*$`, so give the full ARN, or an account id, where you can).
   */
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  /** The channel owner; `undefined` for a bare id without an account: recipientAccountId must then be given. */
  readonly accountId: string | undefined;
  readonly channelId: string;
}

/** Options for a bare channel id, which carries neither region nor account. */
export interface ParseChannelArnOptions {
  /** The region; required with a bare channel id, and must agree with the region of a full ARN. */
  region?: string | undefined;
  /** The channel owner's account, to complete a bare channel id into a full ARN. */
  accountId?: string | undefined;
}

const ARN_PATTERN =
  /^arn:(aws[-a-z]*):cloudtrail:([a-z0-9-]+):(\d{12}):channel\/([A-Za-z0-9][-_A-Za-z0-9]{0,127})$/;
const CHANNEL_ID_PATTERN = /^[A-Za-z0-9][-_A-Za-z0-9]{0,127}$/;
/** AWS region names: `us-east-1`, `cn-north-1`, `us-gov-west-1`, `us-isob-east-1`, ... */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The partition a region belongs to, from its prefix (botocore `partitions.json` regionRegex). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

/**
 * Parses a channel ARN, or a bare channel id when `options.region` is given.
 * @throws ConfigError naming `channelArn` (or `region`) and the value.
 */
export function parseChannelArn(value: unknown, options: ParseChannelArnOptions = {}): ChannelArn {
  const region = options.region;
  if (region !== undefined && !REGION_PATTERN.test(region)) {
    throw new ConfigError(
      'region',
      `Expected \`region\` to be an AWS region such as \`us-east-1\`, got ${describeValue(region)}`,
    );
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(
      'channelArn',
      `Expected \`channelArn\` to be a CloudTrail Lake channel ARN, got ${describeValue(value)}`,
    );
  }
  const match = ARN_PATTERN.exec(value);
  if (match !== null) {
    const [, partition = '', arnRegion = '', accountId = '', channelId = ''] = match;
    if (!REGION_PATTERN.test(arnRegion)) {
      throw new ConfigError(
        'channelArn',
        `Expected the region in \`channelArn\` to be an AWS region, got ${describeValue(value)}`,
      );
    }
    if (region !== undefined && region !== arnRegion) {
      // The service only knows the channel in its own region: a mismatch would fail with ChannelNotFound.
      throw new ConfigError(
        'region',
        `\`region\` \`${region}\` differs from the region \`${arnRegion}\` in \`channelArn\` ${describeValue(value)}`,
      );
    }
    return { arn: value, partition, region: arnRegion, accountId, channelId };
  }
  if (value.startsWith('arn:')) {
    throw new ConfigError(
      'channelArn',
      `Expected \`channelArn\` to match \`arn:{partition}:cloudtrail:{region}:{12-digit account}:channel/{id}\`, got ${describeValue(value)}`,
    );
  }
  if (!CHANNEL_ID_PATTERN.test(value)) {
    throw new ConfigError(
      'channelArn',
      `Expected \`channelArn\` to be a channel ARN or a channel id, got ${describeValue(value)}`,
    );
  }
  if (region === undefined) {
    throw new ConfigError(
      'channelArn',
      `\`channelArn\` ${describeValue(value)} is a bare channel id: give the full channel ARN, or also give \`region\``,
    );
  }
  const accountId = options.accountId;
  if (accountId !== undefined && !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new ConfigError(
      'recipientAccountId',
      `Expected \`recipientAccountId\` to be a 12-digit AWS account id, got ${describeValue(accountId)}`,
    );
  }
  const partition = partitionOfRegion(region);
  const arn =
    accountId === undefined ? value : `arn:${partition}:cloudtrail:${region}:${accountId}:channel/${value}`;
  return { arn, partition, region, accountId, channelId: value };
}
