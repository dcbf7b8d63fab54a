// Channels share the client-side rate limiter of their Region and no other: the PutAuditEvents quota
// belongs to the calling account and the Region. Fake timers stand in for the clock.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/internal/clock.js';
import { resolveExporterOptions } from '../../../src/options.js';
import { createChannelTransports } from '../../../src/pipeline/channel-transports.js';
import type { PreparedRequest, Transport } from '../../../src/transport/transport.js';

const US_A = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/us-a';
const US_B = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/us-b';
const EU = 'arn:aws:cloudtrail:eu-west-1:111122223333:channel/eu';

const EMPTY: PreparedRequest = { events: [], body: '{"auditEvents":[]}', bodyBytes: 18 };

afterEach(() => {
  vi.useRealTimers();
});

describe('createChannelTransports', () => {
  it('gives each Region its own rate limiter, shared by the channels in it', async () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const options = resolveExporterOptions(
      {
        channelArn: () => US_A,
        // One request a second, so a second request in the same Region waits for the next token.
        maxRequestsPerSecond: 1,
        putAuditEvents: (input) => {
          sent.push(input.channelArn);
          return Promise.resolve({ successful: [] });
        },
      },
      {},
    );
    const transports = createChannelTransports(options, systemClock, undefined);
    const transportOf = (channelArn: string): Transport => {
      const lane = transports.lane({ channelArn });
      if (!('transport' in lane)) throw new Error(lane.message);
      return lane.transport;
    };
    const signal = new AbortController().signal;
    const results = [US_A, US_B, EU].map((arn) => transportOf(arn).send(EMPTY, signal));

    await vi.advanceTimersByTimeAsync(0);
    expect(sent.sort()).toEqual([EU, US_A]);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.sort()).toEqual([EU, US_A, US_B]);
    expect((await Promise.all(results)).map((result) => result.status)).toEqual([
      'success',
      'success',
      'success',
    ]);
    await transports.shutdown();
  });
});
