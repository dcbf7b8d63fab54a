import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import { parseChannelArn } from '../channel-registry.js';
import { parseChannelPolicy } from './channel-policy.js';
import {
  type Input,
  defined,
  epochSeconds,
  optionalInteger,
  optionalString,
  pageOf,
  requiredString,
} from './control-input.js';
import type { ChannelRecord } from './control-state.js';
import { type ControlContext, findEventDataStore } from './event-data-store-operations.js';

const NAME = { min: 3, max: 128, pattern: /^[a-zA-Z0-9._-]+$/ };
const CHANNEL_MEMBER = {
  min: 3,
  max: 256,
  pattern: /^[a-zA-Z0-9._/\-:]+$/,
  error: 'ChannelARNInvalidException',
} as const;
const RESOURCE_MEMBER = {
  min: 3,
  max: 256,
  pattern: /^[a-zA-Z0-9._/\-:]+$/,
  error: 'ResourceARNNotValidException',
} as const;
/** CloudTrail's quota of channels per Region (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html). */
const MAX_CHANNELS = 25;

export function channelArn(context: ControlContext, id: string): string {
  return `arn:${context.partition}:cloudtrail:${context.region}:${context.accountId}:channel/${id}`;
}

/** The channel a `Channel` member names, by ARN or by id, as the API accepts. */
export function findChannel(context: ControlContext, arnOrId: string): ChannelRecord {
  const byArn = arnOrId.startsWith('arn:');
  if (byArn && parseChannelArn(arnOrId) === undefined)
    throw new AwsError('ChannelARNInvalidException', `${arnOrId} is not a valid channel ARN.`);
  const record = context.state.channels.find((channel) => (byArn ? channel.arn : channel.id) === arnOrId);
  if (record === undefined)
    throw new AwsError('ChannelNotFoundException', `The channel ${arnOrId} was not found.`);
  return record;
}

/** Destinations must be active event data stores of this emulator (AWS_SERVICE is for service-linked channels). */
function destinationsOf(context: ControlContext, value: unknown): ChannelRecord['destinations'] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 200)
    throw new AwsError('InvalidParameterException', 'Destinations must be a list of 1 to 200 destinations.');
  return value.map((destination: unknown) => {
    const { Type, Location } = (destination ?? {}) as Record<string, unknown>;
    if (Type !== 'EVENT_DATA_STORE' || typeof Location !== 'string')
      throw new AwsError(
        'InvalidParameterException',
        'Each destination needs Type EVENT_DATA_STORE and a Location (an event data store ARN); AWS_SERVICE is for service-linked channels.',
      );
    const store = findEventDataStore(context, Location);
    if (store.status === 'PENDING_DELETION')
      throw new AwsError(
        'InactiveEventDataStoreException',
        `The event data store ${store.arn} is pending deletion.`,
      );
    return { Type, Location: store.arn };
  });
}

function checkNameFree(context: ControlContext, name: string, except?: string): void {
  if (context.state.channels.some((channel) => channel.name === name && channel.arn !== except))
    throw new AwsError('ChannelAlreadyExistsException', `A channel named ${name} already exists.`);
}

/** Creates a channel; also used by the start-up shortcut, which gives the ARN itself. */
export async function createChannel(
  context: ControlContext,
  input: Input,
  fixedArn?: string,
): Promise<ChannelRecord> {
  const name = requiredString(input, 'Name', NAME);
  const source = requiredString(input, 'Source', { min: 1, max: 256, error: 'InvalidSourceException' });
  checkNameFree(context, name);
  if (context.state.channels.length >= MAX_CHANNELS && fixedArn === undefined)
    throw new AwsError('ChannelMaxLimitExceededException', `At most ${MAX_CHANNELS} channels per Region.`);
  const destinations = destinationsOf(context, input['Destinations']);
  const arn = fixedArn ?? channelArn(context, randomUUID());
  const record: ChannelRecord = {
    arn,
    id: parseChannelArn(arn)!.channelId,
    name,
    source,
    destinations,
    tags: Array.isArray(input['Tags']) ? (input['Tags'] as ChannelRecord['tags']) : [],
  };
  context.state.channels.push(record);
  await context.state.save();
  return record;
}

function describe(record: ChannelRecord) {
  return {
    ChannelArn: record.arn,
    Name: record.name,
    Source: record.source,
    Destinations: record.destinations,
  };
}

/** A resource policy may sit on a channel (who may PutAuditEvents) or an event data store. */
function policyResource(context: ControlContext, input: Input): string {
  const arn = requiredString(input, 'ResourceArn', RESOURCE_MEMBER);
  if (!arn.startsWith('arn:')) throw new AwsError('ResourceARNNotValidException', `${arn} is not an ARN.`);
  if (arn.includes(':channel/')) return findChannelForPolicy(context, arn);
  if (arn.includes(':eventdatastore/')) {
    try {
      return findEventDataStore(context, arn).arn;
    } catch (error) {
      if (error instanceof AwsError && error.type === 'EventDataStoreNotFoundException')
        throw new AwsError('ResourceNotFoundException', `The resource ${arn} was not found.`);
      throw new AwsError('ResourceARNNotValidException', `${arn} is not a valid event data store ARN.`);
    }
  }
  throw new AwsError(
    'ResourceTypeNotSupportedException',
    `Resource policies are supported on channels and event data stores, not ${arn}.`,
  );
}

function findChannelForPolicy(context: ControlContext, arn: string): string {
  if (parseChannelArn(arn) === undefined)
    throw new AwsError('ResourceARNNotValidException', `${arn} is not a valid channel ARN.`);
  const record = context.state.channels.find((channel) => channel.arn === arn);
  if (record === undefined)
    throw new AwsError('ResourceNotFoundException', `The resource ${arn} was not found.`);
  return record.arn;
}

export const channelOperations = {
  async CreateChannel(context: ControlContext, input: Input) {
    const record = await createChannel(context, input);
    return { ...describe(record), Tags: record.tags };
  },
  GetChannel(context: ControlContext, input: Input) {
    const record = findChannel(context, requiredString(input, 'Channel', CHANNEL_MEMBER));
    return {
      ...describe(record),
      IngestionStatus: defined({
        LatestIngestionSuccessTime:
          record.latestIngestionSuccessMillis === undefined
            ? undefined
            : epochSeconds(record.latestIngestionSuccessMillis),
        LatestIngestionSuccessEventID: record.latestIngestionSuccessEventID,
        LatestIngestionErrorCode: record.latestIngestionErrorCode,
        LatestIngestionAttemptTime:
          record.latestIngestionAttemptMillis === undefined
            ? undefined
            : epochSeconds(record.latestIngestionAttemptMillis),
        LatestIngestionAttemptEventID: record.latestIngestionAttemptEventID,
      }),
    };
  },
  ListChannels(context: ControlContext, input: Input) {
    const { page, nextToken } = pageOf(
      context.state.channels,
      'channels',
      optionalString(input, 'NextToken', { min: 4, max: 1000, error: 'InvalidNextTokenException' }),
      optionalInteger(input, 'MaxResults', 1, 1000) ?? 1000,
    );
    return defined({
      Channels: page.map((record) => ({ ChannelArn: record.arn, Name: record.name })),
      NextToken: nextToken,
    });
  },
  async UpdateChannel(context: ControlContext, input: Input) {
    const record = findChannel(context, requiredString(input, 'Channel', CHANNEL_MEMBER));
    const name = optionalString(input, 'Name', NAME);
    if (name !== undefined) checkNameFree(context, name, record.arn);
    const destinations =
      input['Destinations'] === undefined ? undefined : destinationsOf(context, input['Destinations']);
    record.name = name ?? record.name;
    record.destinations = destinations ?? record.destinations;
    await context.state.save();
    return describe(record);
  },
  async DeleteChannel(context: ControlContext, input: Input) {
    const record = findChannel(context, requiredString(input, 'Channel', CHANNEL_MEMBER));
    context.state.channels.splice(context.state.channels.indexOf(record), 1);
    delete context.state.resourcePolicies[record.arn];
    await context.state.save();
    return {};
  },
  async PutResourcePolicy(context: ControlContext, input: Input) {
    const arn = policyResource(context, input);
    const policy = requiredString(input, 'ResourcePolicy', { error: 'ResourcePolicyNotValidException' });
    parseChannelPolicy(policy);
    context.state.resourcePolicies[arn] = policy;
    await context.state.save();
    return { ResourceArn: arn, ResourcePolicy: policy };
  },
  GetResourcePolicy(context: ControlContext, input: Input) {
    const arn = policyResource(context, input);
    const policy = context.state.resourcePolicies[arn];
    if (policy === undefined)
      throw new AwsError('ResourcePolicyNotFoundException', `${arn} has no resource policy.`);
    return { ResourceArn: arn, ResourcePolicy: policy };
  },
  async DeleteResourcePolicy(context: ControlContext, input: Input) {
    const arn = policyResource(context, input);
    if (context.state.resourcePolicies[arn] === undefined)
      throw new AwsError('ResourcePolicyNotFoundException', `${arn} has no resource policy.`);
    delete context.state.resourcePolicies[arn];
    await context.state.save();
    return {};
  },
};
