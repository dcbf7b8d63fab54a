/**
 * Whole-request errors that concern one channel, not the account or the credentials: the PutAuditEvents
 * errors about the channel (botocore's `cloudtrail-data` model lists ChannelInsufficientPermission,
 * ChannelNotFound, InvalidChannelARN and ChannelUnsupportedSchema) and AccessDeniedException, which
 * for a channel with a resource policy means its `externalId` is wrong. When records are routed to
 * many channels, such an error rejects that channel's records (typed, dead-lettered) instead of
 * keeping them owed for ever, and the other channels go on.
 */
import { ChannelError, ServiceError } from '../errors.js';
import type { SendOutcome } from './pipeline-entry.js';

const CHANNEL_REFUSALS: ReadonlySet<string> = new Set([
  'ChannelNotFound',
  'ChannelInsufficientPermission',
  'ChannelUnsupportedSchema',
  'InvalidChannelARN',
  'AccessDeniedException',
]);

/** The AWS error name of a channel refusal, else undefined. */
export function channelRefusal(error: Error): string | undefined {
  if (!(error instanceof ServiceError) || error.awsErrorCode === undefined) return undefined;
  return CHANNEL_REFUSALS.has(error.awsErrorCode) ? error.awsErrorCode : undefined;
}

/** Moves the ids of `outcome.failed` groups that a channel refused into `outcome.rejected`. */
export function rejectChannelRefusals(outcome: SendOutcome, channelArn: string): void {
  outcome.failed = outcome.failed.filter((group) => {
    const refusal = channelRefusal(group.error);
    if (refusal === undefined) return true;
    for (const id of group.ids) {
      outcome.rejected.push(new ChannelError(id, channelArn, refusal, { cause: group.error }));
    }
    return false;
  });
}
