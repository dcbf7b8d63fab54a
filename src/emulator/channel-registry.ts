import { ACCOUNT_ID_PATTERN } from '../limits.js';
import { ConfigError } from '../errors.js';
import { AwsError } from './aws-error.js';
import type { EmulatorChannel } from './emulator-options.js';

/** A channel with the parts of its ARN the emulator needs. */
export interface ResolvedChannel {
  channelArn: string;
  /** The last part of the ARN, `channel/{id}`'s id. */
  channelId: string;
  partition: string;
  region: string;
  /** The account that owns the channel: the ARN's fifth field. */
  ownerAccountId: string;
  externalId: string | undefined;
}

const CHANNEL_ARN_PATTERN =
  /^arn:([a-z][a-z0-9-]*):cloudtrail:([a-z0-9-]+):(\d{12}):channel\/([A-Za-z0-9._-]+)$/;

/** Parses a channel ARN, or returns undefined when it is not one. */
export function parseChannelArn(channelArn: string): Omit<ResolvedChannel, 'externalId'> | undefined {
  const match = CHANNEL_ARN_PATTERN.exec(channelArn);
  if (match === null) return undefined;
  const [, partition, region, ownerAccountId, channelId] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { channelArn, partition, region, ownerAccountId, channelId };
}

export interface ChannelRegistry {
  readonly channels: readonly ResolvedChannel[];
  /**
   * Finds the channel a request names. The API reference says channelArn takes "the ARN or ID (the ARN
   * suffix)", so a value without `arn:` is looked up as a channel id; one that starts with `arn:` but is
   * not a channel ARN is InvalidChannelARN; a well-formed but unknown one is ChannelNotFound.
   */
  resolve(channelArnOrId: string): ResolvedChannel;
}

export function createChannelRegistry(channels: readonly EmulatorChannel[]): ChannelRegistry {
  const resolved = channels.map((channel, index) => {
    const parsed = parseChannelArn(channel.channelArn);
    if (parsed === undefined || !ACCOUNT_ID_PATTERN.test(parsed.ownerAccountId)) {
      throw new ConfigError(
        `channels[${index}].channelArn`,
        `Expected \`channels[${index}].channelArn\` to be arn:{partition}:cloudtrail:{region}:{account}:channel/{id}, got \`${channel.channelArn}\``,
      );
    }
    return { ...parsed, externalId: channel.externalId };
  });
  const byArn = new Map(resolved.map((channel) => [channel.channelArn, channel]));
  const byId = new Map(resolved.map((channel) => [channel.channelId, channel]));
  return {
    channels: resolved,
    resolve(channelArnOrId) {
      if (!channelArnOrId.startsWith('arn:')) {
        const channel = byId.get(channelArnOrId);
        if (channel === undefined) {
          throw new AwsError('ChannelNotFound', `The channel ${channelArnOrId} was not found.`);
        }
        return channel;
      }
      if (parseChannelArn(channelArnOrId) === undefined) {
        throw new AwsError(
          'InvalidChannelARN',
          `The value ${channelArnOrId} for channelArn is not a valid channel ARN.`,
        );
      }
      const channel = byArn.get(channelArnOrId);
      if (channel === undefined) {
        throw new AwsError('ChannelNotFound', `The channel ${channelArnOrId} was not found.`);
      }
      return channel;
    },
  };
}
