import { randomUUID } from 'node:crypto';
import { EXTERNAL_ID_MAX_CHARS, EXTERNAL_ID_MIN_CHARS, EXTERNAL_ID_PATTERN } from '../limits.js';
import type { PutAuditEventsOutput } from '../mapping/audit-event.js';
import { AwsError } from './aws-error.js';
import type { ChannelRegistry, ResolvedChannel } from './channel-registry.js';
import { storedEventWithText, type StoredEvent } from './event-store.js';
import type { FaultController } from './faults.js';
import { parseRequestBody } from './parse-request-body.js';
import { validateEvent } from './validate-event.js';
import { verifySignature, type SignedRequest } from './verify-signature.js';
import type { EmulatorCredential } from './emulator-options.js';
import type { RequestQuota } from './request-quota.js';

/** What one PutAuditEvents request carried and how it was answered; kept for tests to inspect. */
export interface ReceivedRequest {
  requestId: string;
  receivedAtMillis: number;
  /** The query parameters as sent (undefined when absent). */
  channelArn: string | undefined;
  externalId: string | undefined;
  /** The signing access key id, when the Authorization header had one. */
  accessKeyId: string | undefined;
  /** The body's entries when it parsed, else undefined. */
  auditEvents: Array<{ id: string; eventData: string; eventDataChecksum?: string }> | undefined;
  statusCode: number;
  /** The AWS error name of a whole-request error. */
  errorType: string | undefined;
  response: PutAuditEventsOutput | undefined;
}

export interface PutAuditEventsContext {
  region: string;
  credentials: readonly EmulatorCredential[];
  channels: ChannelRegistry;
  /** Stores accepted events in the channel's destination event data stores that are ingesting. */
  deliver(channel: ResolvedChannel, events: readonly StoredEvent[]): Promise<void>;
  /** The account-and-Region request quota; undefined when switched off. */
  quota: RequestQuota | undefined;
  faults: FaultController;
  maxClockSkewMillis: number;
  now: () => number;
  eventVersion: string;
}

function queryParam(url: URL, name: string): string | undefined {
  return url.searchParams.get(name) ?? undefined;
}

function secondPrecision(millis: number): string {
  return `${new Date(millis).toISOString().slice(0, 19)}Z`;
}

/**
 * The service logic after the faults: signature, query, body, channel and caller, then each event.
 * Throws {@link AwsError} for a whole-request error; resolves to the 200 body once accepted events are stored.
 */
export async function handlePutAuditEvents(
  request: SignedRequest,
  context: PutAuditEventsContext,
  record: ReceivedRequest,
  maxRequestBytes: number,
): Promise<PutAuditEventsOutput> {
  const nowMillis = context.now();
  const caller = verifySignature(request, {
    region: context.region,
    credentials: context.credentials,
    nowMillis,
    maxClockSkewMillis: context.maxClockSkewMillis,
  });
  record.accessKeyId = caller.accessKeyId;
  // Throttling is per account and Region; without configured credentials every caller is one account.
  if (context.quota !== undefined && !context.quota.take(caller.credential?.accountId ?? '*', nowMillis)) {
    throw new AwsError(
      'ThrottlingException',
      "Rate exceeded: the account's PutAuditEvents request quota is used up.",
    );
  }

  const url = new URL(request.url, 'http://emulator');
  const channelArn = queryParam(url, 'channelArn');
  const externalId = queryParam(url, 'externalId');
  record.channelArn = channelArn;
  record.externalId = externalId;
  if (channelArn === undefined || channelArn === '') {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'channelArn' failed to satisfy constraint: Member must not be null",
    );
  }
  if (
    externalId !== undefined &&
    (externalId.length < EXTERNAL_ID_MIN_CHARS ||
      externalId.length > EXTERNAL_ID_MAX_CHARS ||
      !EXTERNAL_ID_PATTERN.test(externalId))
  ) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must have length between ${EXTERNAL_ID_MIN_CHARS} and ${EXTERNAL_ID_MAX_CHARS} and satisfy regular expression pattern: ^[\\w+=,.@:\\/-]*$ (length ${externalId.length})`,
    );
  }

  const events = parseRequestBody(request.body, maxRequestBytes);
  // The parsed entries already have the recorded shape; nothing later changes them.
  record.auditEvents = events;

  const channel = context.channels.resolve(channelArn);
  // Without configured credentials there is no identity to compare, so the caller is the owner.
  const callerAccountId = caller.credential?.accountId ?? channel.ownerAccountId;
  if (callerAccountId !== channel.ownerAccountId && !channel.allowedAccounts.includes(callerAccountId)) {
    throw new AwsError(
      'ChannelInsufficientPermission',
      `The caller's account ID must be the same as the channel owner's account ID (${channel.ownerAccountId}) or be allowed by the channel's resource policy.`,
    );
  }
  // The resource policy's external ID condition: the model lists no dedicated error, and
  // ChannelInsufficientPermission is the modelled "not allowed on this channel" answer (see README).
  if (
    channel.externalIds.length > 0 &&
    (externalId === undefined || !channel.externalIds.includes(externalId))
  ) {
    throw new AwsError(
      'ChannelInsufficientPermission',
      externalId === undefined
        ? 'The channel requires an externalId and the request has none.'
        : 'The externalId does not match the one the channel requires.',
    );
  }

  const output: PutAuditEventsOutput = { successful: [], failed: [] };
  const accepted: StoredEvent[] = [];
  const ingestionTime = secondPrecision(nowMillis);
  for (const event of events) {
    const check = validateEvent(event, channel.ownerAccountId);
    if (!check.ok) {
      output.failed.push({ id: event.id, errorCode: check.errorCode, errorMessage: check.errorMessage });
      continue;
    }
    const injected = context.faults.decideEvent(event.id);
    if (injected !== undefined) {
      output.failed.push({ id: event.id, ...injected });
      continue;
    }
    const eventID = randomUUID();
    const fields = {
      eventVersion: context.eventVersion,
      eventCategory: 'ActivityAuditLog',
      eventType: 'ActivityLog',
      eventID,
      eventTime: check.eventData['eventTime'] as string,
      awsRegion: channel.region,
      recipientAccountId: channel.ownerAccountId,
      metadata: { ingestionTime, channelARN: channel.channelArn },
    } as const;
    accepted.push(storedEventWithText(fields, event.eventData));
    output.successful.push({ id: event.id, eventID });
  }
  await context.deliver(channel, accepted);
  return output;
}
