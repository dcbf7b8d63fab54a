import { ConfigError } from '../../errors.js';
import { parseChannelArn } from '../channel-registry.js';
import { EMULATOR_DEFAULTS, type EmulatorChannel } from '../emulator-options.js';
import { createChannel } from './channel-operations.js';
import { externalIdPolicy } from './channel-policy.js';
import type { EventDataStoreRecord } from './control-state.js';
import { type ControlContext, createEventDataStore } from './event-data-store-operations.js';

/**
 * The start-up options as shortcuts of the control plane: the default event data store (the id the
 * options or the data directory name, its events in `<dataDir>/events.jsonl` as before), and each
 * configured channel delivering to it, with a resource policy for its `externalId`. Resources that
 * already exist (a restart with the same dataDir) are kept as they are; an `externalId` in the options
 * replaces the channel's policy, since the options describe what the user wants now.
 */
export async function applyStartupResources(
  context: ControlContext,
  eventDataStoreId: string,
  channels: readonly EmulatorChannel[],
): Promise<EventDataStoreRecord> {
  const { state } = context;
  let store = state.eventDataStores.find((candidate) => candidate.id === eventDataStoreId);
  if (store === undefined) {
    const taken = state.eventDataStores.some(
      (candidate) => candidate.name === EMULATOR_DEFAULTS.defaultEventDataStoreName,
    );
    store = await createEventDataStore(
      context,
      {
        Name: taken
          ? `${EMULATOR_DEFAULTS.defaultEventDataStoreName}-${eventDataStoreId}`
          : EMULATOR_DEFAULTS.defaultEventDataStoreName,
      },
      // The first store keeps the original file, so data directories of earlier versions reload.
      {
        id: eventDataStoreId,
        eventsDir: state.eventDataStores.length === 0 ? '' : `event-data-stores/${eventDataStoreId}`,
      },
    );
  }
  for (const [index, channel] of channels.entries()) {
    const parsed = parseChannelArn(channel.channelArn);
    if (parsed === undefined) {
      throw new ConfigError(
        `channels[${index}].channelArn`,
        `Expected \`channels[${index}].channelArn\` to be arn:{partition}:cloudtrail:{region}:{account}:channel/{id}, got \`${channel.channelArn}\``,
      );
    }
    if (!state.channels.some((candidate) => candidate.arn === channel.channelArn)) {
      let name = `${EMULATOR_DEFAULTS.defaultChannelName}-${parsed.channelId}`.slice(0, 120);
      if (state.channels.some((candidate) => candidate.name === name)) name = `${name}-${index}`;
      await createChannel(
        context,
        { Name: name, Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: store.arn }] },
        channel.channelArn,
      );
    }
    if (channel.externalId !== undefined) {
      state.resourcePolicies[channel.channelArn] = externalIdPolicy(
        channel.channelArn,
        parsed.ownerAccountId,
        channel.externalId,
      );
      await state.save();
    }
  }
  return store;
}
