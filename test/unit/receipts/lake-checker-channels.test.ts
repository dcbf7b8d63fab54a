// The Lake check of a receipts file that holds several channels: each receipt is looked up in the event
// data store of its channel, and receipts of a channel without a store are counted as unchecked. The
// check against the local Lake end to end is in test/receipts/verify.test.ts and the routing tests.
import { describe, expect, it } from 'vitest';
import type { DeliveryReceipt } from '../../../src/receipts/delivery-receipt.js';
import { createLakeChecker } from '../../../src/receipts/verify-receipts-in-lake.js';

const A = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/a';
const B = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/b';
const C = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/c';

function receipt(id: string, channelArn: string): DeliveryReceipt {
  return {
    id,
    eventID: `event-${id}`,
    channelArn,
    eventDataChecksum: 'x',
    contentHash: 'y',
    acceptedAt: '2026-01-01T00:00:00Z',
    prev: '0',
  };
}

describe('the Lake check with many channels', () => {
  it('queries each channel in its own event data store and counts a channel without one as unchecked', async () => {
    const queried: Array<{ store: string; ids: string[] }> = [];
    const checker = createLakeChecker(
      (sql) => {
        const store = /FROM (\S+)/.exec(sql)?.[1] ?? '';
        const ids = [...sql.matchAll(/'event-([^']+)'/g)].map((match) => match[1] ?? '');
        if (sql.includes('eventid IN')) queried.push({ store, ids });
        return Promise.resolve([]);
      },
      { eventDataStores: { [A]: 'store-a', [B]: 'store-b' }, chunkSize: 2 },
    );
    for (const [id, channel] of [
      ['a1', A],
      ['b1', B],
      ['c1', C],
      ['a2', A],
      ['b2', B],
    ] as const) {
      await checker.add(receipt(id, channel));
    }
    const report = await checker.finish();
    expect(queried).toEqual([
      { store: 'store-a', ids: ['a1', 'a2'] },
      { store: 'store-b', ids: ['b1', 'b2'] },
    ]);
    expect(report).toMatchObject({ checked: 4, missing: 4, unchecked: 1, examples: { unchecked: ['c1'] } });
  });
});
