/**
 * Splits one send's entries by channel, so that events for different channels never share a request
 * and each channel is sent with its own transport and error state.
 */
import { destinationKey, type ChannelDestination } from './channel-destination.js';
import type { SendEntry } from './pipeline-entry.js';

/** The entries of each channel, in entry order; `undefined` is the exporter's own `channelArn`. */
export function groupByChannel<Entry extends SendEntry>(
  entries: readonly Entry[],
): Map<string, { destination: ChannelDestination | undefined; entries: Entry[] }> {
  const groups = new Map<string, { destination: ChannelDestination | undefined; entries: Entry[] }>();
  for (const entry of entries) {
    // A NUL cannot occur in a channel ARN, so the own channel's key never meets a route's.
    const key = entry.route === undefined ? '\u0000own' : destinationKey(entry.route);
    let group = groups.get(key);
    if (group === undefined) {
      group = { destination: entry.route, entries: [] };
      groups.set(key, group);
    }
    group.entries.push(entry);
  }
  return groups;
}
