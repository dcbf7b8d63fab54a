import { AwsError } from './aws-error.js';
import { parseChannelPolicy } from './control-plane/channel-policy.js';
import type { ChannelRecord, ControlState } from './control-plane/control-state.js';

/** A channel with the parts of its ARN and policy the ingestion path needs. */
export interface ResolvedChannel {
  channelArn: string;
  /** The last part of the ARN, `channel/{id}`'s id. */
  channelId: string;
  partition: string;
  region: string;
  /** The account that owns the channel: the ARN's fifth field. */
  ownerAccountId: string;
  /** External ids its resource policy requires (one must match); empty when it requires none. */
  externalIds: readonly string[];
  /** Accounts besides the owner that its resource policy allows. */
  allowedAccounts: readonly string[];
  record: ChannelRecord;
}

const CHANNEL_ARN_PATTERN =
  /^arn:([a-z][a-z0-9-]*):cloudtrail:([a-z0-9-]+):(\d{12}):channel\/([A-Za-z0-9._-]+)$/;

/** Parses a channel ARN, or returns undefined when it is not one. */
export function parseChannelArn(
  channelArn: string,
): Pick<ResolvedChannel, 'channelArn' | 'channelId' | 'partition' | 'region' | 'ownerAccountId'> | undefined {
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
  /**
   * Finds the channel a request names. The API reference says channelArn takes "the ARN or ID (the ARN
   * suffix)", so a value without `arn:` is looked up as a channel id; one that starts with `arn:` but is
   * not a channel ARN is InvalidChannelARN; a well-formed but unknown one is ChannelNotFound.
   */
  resolve(channelArnOrId: string): ResolvedChannel;
}

/** The channels of the control plane's state, as PutAuditEvents sees them (live: changes apply at once). */
export function createChannelRegistry(state: ControlState): ChannelRegistry {
  return {
    resolve(channelArnOrId) {
      const byArn = channelArnOrId.startsWith('arn:');
      if (byArn && parseChannelArn(channelArnOrId) === undefined) {
        throw new AwsError(
          'InvalidChannelARN',
          `The value ${channelArnOrId} for channelArn is not a valid channel ARN.`,
        );
      }
      const record = state.channels.find((channel) => (byArn ? channel.arn : channel.id) === channelArnOrId);
      const parsed = record === undefined ? undefined : parseChannelArn(record.arn);
      if (record === undefined || parsed === undefined) {
        throw new AwsError('ChannelNotFound', `The channel ${channelArnOrId} was not found.`);
      }
      const policy = state.resourcePolicies[record.arn];
      const grant = policy === undefined ? { accounts: [], externalIds: [] } : parseChannelPolicy(policy);
      return { ...parsed, externalIds: grant.externalIds, allowedAccounts: grant.accounts, record };
    },
  };
}
