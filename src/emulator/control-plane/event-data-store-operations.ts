import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import {
  type Input,
  defined,
  epochSeconds,
  optionalBoolean,
  optionalInteger,
  optionalString,
  pageOf,
  requiredString,
} from './control-input.js';
import type { ControlState, EventDataStoreRecord, EventDataStoreStatus, Tag } from './control-state.js';

/** Who the control plane acts for: the emulator's Region and account, and its clock. */
export interface ControlContext {
  state: ControlState;
  partition: string;
  region: string;
  accountId: string;
  now: () => number;
}

const NAME = { min: 3, max: 128, pattern: /^[a-zA-Z0-9._-]+$/ };
export const STORE_ARN_MEMBER = {
  min: 3,
  max: 256,
  pattern: /^[a-zA-Z0-9._/\-:]+$/,
  error: 'EventDataStoreARNInvalidException',
} as const;
const STORE_ARN = /^arn:[a-z][a-z0-9-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/([A-Za-z0-9._-]+)$/;
/** CloudTrail's defaults (CreateEventDataStore reference): 366 days for the extendable pricing, 2557 for fixed. */
const DEFAULT_BILLING_MODE = 'EXTENDABLE_RETENTION_PRICING';
const DEFAULT_RETENTION_DAYS: Record<string, number> = {
  EXTENDABLE_RETENTION_PRICING: 366,
  FIXED_RETENTION_PRICING: 2557,
};
const BILLING_MODES = Object.keys(DEFAULT_RETENTION_DAYS);
/** Integration events only: the selector CloudTrail shows for a store made for channels. */
const ACTIVITY_AUDIT_LOG_SELECTORS = [
  {
    Name: 'Integration events',
    FieldSelectors: [{ Field: 'eventCategory', Equals: ['ActivityAuditLog'] }],
  },
];

export function eventDataStoreArn(context: ControlContext, id: string): string {
  return `arn:${context.partition}:cloudtrail:${context.region}:${context.accountId}:eventdatastore/${id}`;
}

/** The store an `EventDataStore` member names, by ARN or by id (the ARN's suffix), as the API accepts. */
export function findEventDataStore(context: ControlContext, arnOrId: string): EventDataStoreRecord {
  const id = arnOrId.startsWith('arn:') ? STORE_ARN.exec(arnOrId)?.[1] : arnOrId;
  if (id === undefined)
    throw new AwsError(
      'EventDataStoreARNInvalidException',
      `${arnOrId} is not a valid event data store ARN.`,
    );
  const record = context.state.eventDataStores.find(
    (store) => store.id === id && (!arnOrId.startsWith('arn:') || store.arn === arnOrId),
  );
  if (record === undefined)
    throw new AwsError('EventDataStoreNotFoundException', `The event data store ${arnOrId} was not found.`);
  return record;
}

function activeStore(context: ControlContext, input: Input, member = 'EventDataStore'): EventDataStoreRecord {
  const record = findEventDataStore(context, requiredString(input, member, STORE_ARN_MEMBER));
  if (record.status === 'PENDING_DELETION')
    throw new AwsError(
      'InactiveEventDataStoreException',
      `The event data store ${record.arn} is pending deletion.`,
    );
  return record;
}

function tagsOf(input: Input, member: string): Tag[] {
  const value = input[member];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 200)
    throw new AwsError('InvalidParameterException', `${member} must be a list of at most 200 tags.`);
  return value.map((tag: unknown) => {
    const { Key, Value } = (tag ?? {}) as Record<string, unknown>;
    if (typeof Key !== 'string' || Key.length < 1 || Key.length > 128)
      throw new AwsError('InvalidParameterException', `Each tag needs a Key of 1 to 128 characters.`);
    return typeof Value === 'string' ? { Key, Value } : { Key };
  });
}

function describe(record: EventDataStoreRecord) {
  return {
    EventDataStoreArn: record.arn,
    Name: record.name,
    Status: record.status,
    AdvancedEventSelectors: record.advancedEventSelectors,
    MultiRegionEnabled: record.multiRegionEnabled,
    OrganizationEnabled: record.organizationEnabled,
    RetentionPeriod: record.retentionPeriod,
    TerminationProtectionEnabled: record.terminationProtectionEnabled,
    CreatedTimestamp: epochSeconds(record.createdMillis),
    UpdatedTimestamp: epochSeconds(record.updatedMillis),
    BillingMode: record.billingMode,
  };
}

function checkNameFree(context: ControlContext, name: string, except?: string): void {
  if (context.state.eventDataStores.some((store) => store.name === name && store.id !== except))
    throw new AwsError(
      'EventDataStoreAlreadyExistsException',
      `An event data store named ${name} already exists.`,
    );
}

/** Checks the settings CreateEventDataStore and UpdateEventDataStore share; returns the selectors. */
function checkStoreSettings(input: Input, billingMode: string | undefined): unknown {
  if (billingMode !== undefined && !BILLING_MODES.includes(billingMode))
    throw new AwsError(
      'InvalidParameterException',
      `BillingMode must be one of ${BILLING_MODES.join(', ')}.`,
    );
  const selectors = input['AdvancedEventSelectors'];
  if (selectors !== undefined && !Array.isArray(selectors))
    throw new AwsError('InvalidParameterException', 'AdvancedEventSelectors must be a list.');
  return selectors;
}

/** Creates a store; also the start-up shortcut's default store (`id` given, events in dataDir itself). */
export async function createEventDataStore(
  context: ControlContext,
  input: Input,
  fixed: { id?: string; eventsDir?: string } = {},
): Promise<EventDataStoreRecord> {
  const name = requiredString(input, 'Name', NAME);
  checkNameFree(context, name);
  const billingMode = optionalString(input, 'BillingMode') ?? DEFAULT_BILLING_MODE;
  const selectors = checkStoreSettings(input, billingMode);
  const id = fixed.id ?? randomUUID();
  const nowMillis = context.now();
  const record: EventDataStoreRecord = {
    id,
    arn: eventDataStoreArn(context, id),
    name,
    status: optionalBoolean(input, 'StartIngestion') === false ? 'STOPPED_INGESTION' : 'ENABLED',
    retentionPeriod:
      optionalInteger(input, 'RetentionPeriod', 7, 3653) ?? DEFAULT_RETENTION_DAYS[billingMode] ?? 366,
    terminationProtectionEnabled: optionalBoolean(input, 'TerminationProtectionEnabled') ?? true,
    multiRegionEnabled: optionalBoolean(input, 'MultiRegionEnabled') ?? true,
    organizationEnabled: optionalBoolean(input, 'OrganizationEnabled') ?? false,
    billingMode,
    advancedEventSelectors: (selectors as unknown[] | undefined) ?? ACTIVITY_AUDIT_LOG_SELECTORS,
    tags: tagsOf(input, 'TagsList'),
    createdMillis: nowMillis,
    updatedMillis: nowMillis,
    eventsDir: fixed.eventsDir ?? `event-data-stores/${id}`,
  };
  await context.state.openStoreEvents(record);
  context.state.eventDataStores.push(record);
  await context.state.save();
  return record;
}

/** Start or stop ingestion: straight to the new state (no STARTING_/STOPPING_INGESTION in between). */
async function switchIngestion(
  context: ControlContext,
  input: Input,
  from: EventDataStoreStatus,
  to: EventDataStoreStatus,
): Promise<Record<string, never>> {
  const record = findEventDataStore(context, requiredString(input, 'EventDataStore', STORE_ARN_MEMBER));
  if (record.status !== from)
    throw new AwsError(
      'InvalidEventDataStoreStatusException',
      `The event data store is ${record.status}, not ${from}.`,
    );
  record.status = to;
  record.updatedMillis = context.now();
  await context.state.save();
  return {};
}

export const eventDataStoreOperations = {
  async CreateEventDataStore(context: ControlContext, input: Input) {
    const record = await createEventDataStore(context, input);
    return { ...describe(record), TagsList: record.tags };
  },
  GetEventDataStore(context: ControlContext, input: Input) {
    return describe(findEventDataStore(context, requiredString(input, 'EventDataStore', STORE_ARN_MEMBER)));
  },
  ListEventDataStores(context: ControlContext, input: Input) {
    const maxResults = optionalInteger(input, 'MaxResults', 1, 1000, 'InvalidMaxResultsException') ?? 1000;
    const { page, nextToken } = pageOf(
      context.state.eventDataStores,
      'eventdatastores',
      optionalString(input, 'NextToken', { min: 4, max: 1000, error: 'InvalidNextTokenException' }),
      maxResults,
    );
    return defined({
      // The list shape has no BillingMode, and no longer TerminationProtectionEnabled (deprecated).
      EventDataStores: page.map((record) => {
        const listed: Record<string, unknown> = describe(record);
        delete listed['TerminationProtectionEnabled'];
        delete listed['BillingMode'];
        return listed;
      }),
      NextToken: nextToken,
    });
  },
  async UpdateEventDataStore(context: ControlContext, input: Input) {
    const record = activeStore(context, input);
    const name = optionalString(input, 'Name', NAME);
    if (name !== undefined) checkNameFree(context, name, record.id);
    const billingMode = optionalString(input, 'BillingMode');
    const selectors = checkStoreSettings(input, billingMode);
    record.name = name ?? record.name;
    record.billingMode = billingMode ?? record.billingMode;
    record.retentionPeriod = optionalInteger(input, 'RetentionPeriod', 7, 3653) ?? record.retentionPeriod;
    record.terminationProtectionEnabled =
      optionalBoolean(input, 'TerminationProtectionEnabled') ?? record.terminationProtectionEnabled;
    record.multiRegionEnabled = optionalBoolean(input, 'MultiRegionEnabled') ?? record.multiRegionEnabled;
    record.organizationEnabled = optionalBoolean(input, 'OrganizationEnabled') ?? record.organizationEnabled;
    record.advancedEventSelectors = (selectors as unknown[] | undefined) ?? record.advancedEventSelectors;
    record.updatedMillis = context.now();
    await context.state.save();
    return describe(record);
  },
  /**
   * CloudTrail keeps a deleted store PENDING_DELETION for 7 days (restorable) before it is gone; the
   * emulator keeps it in that state, with its events, and refuses to ingest into or query it.
   */
  async DeleteEventDataStore(context: ControlContext, input: Input) {
    const record = activeStore(context, input);
    if (record.terminationProtectionEnabled)
      throw new AwsError(
        'EventDataStoreTerminationProtectedException',
        `The event data store ${record.arn} has termination protection enabled; disable it with UpdateEventDataStore first.`,
      );
    const channel = context.state.channels.find((candidate) =>
      candidate.destinations.some((destination) => destination.Location === record.arn),
    );
    if (channel !== undefined)
      throw new AwsError(
        'ChannelExistsForEDSException',
        `The channel ${channel.arn} delivers to ${record.arn}; delete it or change its destinations first.`,
      );
    record.status = 'PENDING_DELETION';
    record.updatedMillis = context.now();
    await context.state.save();
    return {};
  },
  StartEventDataStoreIngestion: (context: ControlContext, input: Input) =>
    switchIngestion(context, input, 'STOPPED_INGESTION', 'ENABLED'),
  StopEventDataStoreIngestion: (context: ControlContext, input: Input) =>
    switchIngestion(context, input, 'ENABLED', 'STOPPED_INGESTION'),
};
