/**
 * Routing to many channels: the `channelArn` option may be a function of the record that returns the
 * channel to send it to. CloudTrail Lake allows one channel per integration source and a tenant may own
 * its own channel, so a multi-tenant app or a bridge serving many services routes per record
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-integration.html).
 * The route is decided once, where the record enters, and travels with it (through the spool too).
 */
import { RoutingError } from '../errors.js';
import { describeValue } from '../internal/check-option.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import { parseChannelArn, type ChannelArn } from '../transport/channel-arn.js';
import { EXTERNAL_ID_RULE } from '../transport/http-transport-options.js';

/**
 * Where one record goes: the members of PutAuditEvents (`channelArn`, `externalId`) as the AWS SDK
 * names them. `externalId` is the one the channel's resource policy requires, if any; never logged.
 */
export interface ChannelDestination {
  readonly channelArn: string;
  readonly externalId?: string | undefined;
}

/**
 * The `channelArn` option as a function: the full channel ARN for a record, or the ARN with the
 * externalId of its channel. Called once per record where it enters; a throw or anything else than a
 * full channel ARN rejects that record with `CTL_ERR_ROUTE`.
 */
export type ChannelArnFunction = (record: AuditLogRecord) => string | ChannelDestination;

/** A destination after its ARN was parsed. */
export interface ResolvedDestination {
  readonly destination: ChannelDestination;
  readonly channel: ChannelArn;
}

/** Destinations with the same channel and externalId share requests, transport and counters. */
export function destinationKey(destination: ChannelDestination): string {
  return `${destination.channelArn}\n${destination.externalId ?? ''}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks what a `channelArn` function returned (or what a spool kept): a full channel ARN (a bare id
 * carries no region or account, so it cannot be routed) and, if present, a valid externalId.
 * @returns the parsed destination, or the reason naming the field and the value (the externalId only by length)
 */
export function checkDestination(
  value: unknown,
): { ok: ResolvedDestination } | { field: string; message: string } {
  const destination: unknown = typeof value === 'string' ? { channelArn: value } : value;
  if (!isObject(destination)) {
    return {
      field: 'channelArn',
      message: `Expected \`channelArn\` to return a channel ARN or { channelArn, externalId }, got ${describeValue(value)}`,
    };
  }
  const { channelArn, externalId } = destination;
  let channel: ChannelArn;
  try {
    if (typeof channelArn !== 'string' || !channelArn.startsWith('arn:')) throw new Error('not an ARN');
    channel = parseChannelArn(channelArn);
  } catch {
    return {
      field: 'channelArn',
      message: `Expected \`channelArn\` to return a full channel ARN \`arn:{partition}:cloudtrail:{region}:{account}:channel/{id}\`, got ${describeValue(channelArn)}`,
    };
  }
  if (externalId !== undefined && !EXTERNAL_ID_RULE.test(externalId)) {
    const shown =
      typeof externalId === 'string' ? `${externalId.length} characters` : describeValue(externalId);
    return {
      field: 'channelArn().externalId',
      message: `Expected \`externalId\` returned by \`channelArn\` to be ${EXTERNAL_ID_RULE.expected}, got ${shown}`,
    };
  }
  return {
    ok: { destination: externalId === undefined ? { channelArn } : { channelArn, externalId }, channel },
  };
}

/** Routes one record. Never throws: a throwing or wrong function yields a RoutingError for that record. */
export function decideDestination(
  record: AuditLogRecord,
  route: ChannelArnFunction,
  eventId: string,
): ChannelDestination | RoutingError {
  let value: unknown;
  try {
    value = route(record);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'a non-Error value';
    return new RoutingError(eventId, 'channelArn', `option \`channelArn\` threw: ${message}`, {
      cause: error,
    });
  }
  const checked = checkDestination(value);
  if ('ok' in checked) return checked.ok.destination;
  return new RoutingError(eventId, checked.field, checked.message);
}
