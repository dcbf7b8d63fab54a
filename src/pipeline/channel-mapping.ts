/**
 * The mapping a channel's events are prepared with. CloudTrail Lake requires recipientAccountId to be
 * the account that owns the channel
 * (https://docs.aws.amazon.com/awscloudtraildata/latest/APIReference/API_PutAuditEvents.html), so a
 * routed channel's events carry its owner's account; the exporter's own channel keeps the options as set.
 */
import type { PrepareOptions } from '../prepare-audit-events.js';
import type { ChannelArn } from '../transport/channel-arn.js';

export function channelMapping(
  mapping: PrepareOptions,
  channel: ChannelArn,
  routed: boolean,
): PrepareOptions {
  return routed && channel.accountId !== undefined
    ? { ...mapping, recipientAccountId: channel.accountId }
    : mapping;
}
