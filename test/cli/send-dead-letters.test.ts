// `send` puts dead letters back where they came from: each line that names a channel (a dead letter's
// `channelArn`) goes to that channel, lines that name none go to --channel-arn, and without it they are
// reported, not sent. A child process of the CLI against an emulator with two channels on port 0.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendSummary } from '../../src/cli/send-summary.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventData, runCliProcess } from './run-cli-process.js';

const TENANT_A = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/tenant-a';
const TENANT_B = 'arn:aws:cloudtrail:us-east-1:444455556666:channel/tenant-b';
const CHILD_MILLIS = 60_000;

let dir: string;
let emulator: Emulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctl-send-dead-letters-'));
  emulator = await startEmulator({
    port: 0,
    log: () => undefined,
    channels: [{ channelArn: TENANT_A }, { channelArn: TENANT_B }],
  });
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** A dead-letter line as the exporter writes it, for `channelArn` (or none). */
function deadLetter(id: string, channelArn: string | undefined): string {
  // The recipient is the channel's owner, as the exporter mapped it for that channel.
  const owner = (channelArn ?? TENANT_B).split(':')[4];
  const data = eventData({
    userIdentity: { type: 'Customer', principalId: id },
    UID: `uid-${id}`,
    recipientAccountId: owner,
  });
  return JSON.stringify({
    id,
    eventData: data,
    ...(channelArn === undefined ? {} : { channelArn }),
    reason: { code: 'CTL_ERR_SERVICE', message: 'ChannelUnavailable', rejectedAt: '2026-11-30T00:00:00Z' },
  });
}

/** The ids stored on each channel. */
function storedByChannel(): Record<string, string[]> {
  const byChannel: Record<string, string[]> = {};
  for (const event of emulator.events()) {
    (byChannel[event.metadata.channelARN] ??= []).push(String(event.eventData['UID']));
  }
  for (const ids of Object.values(byChannel)) ids.sort();
  return byChannel;
}

describe('send, dead letters of many channels', () => {
  it(
    'sends each dead letter to the channel it names, and reports a line with no channel when --channel-arn is absent',
    async () => {
      const path = join(dir, 'mixed.jsonl');
      const lines = [
        deadLetter('a-1', TENANT_A),
        deadLetter('b-1', TENANT_B),
        deadLetter('none-1', undefined),
      ];
      await writeFile(path, `${lines.join('\n')}\n`);
      const result = await runCliProcess(['send', path, '--endpoint-url', emulator.url, '--json']);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout) as SendSummary;
      expect(summary, JSON.stringify(summary.failures)).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
      expect(JSON.stringify(summary.failures)).toContain('line 3: names no channelArn');
      expect(storedByChannel()).toEqual({ [TENANT_A]: ['uid-a-1'], [TENANT_B]: ['uid-b-1'] });

      const second = join(dir, 'defaulted.jsonl');
      await writeFile(
        second,
        `${[deadLetter('a-2', TENANT_A), deadLetter('none-2', undefined)].join('\n')}\n`,
      );
      const withDefault = await runCliProcess([
        'send',
        second,
        '--channel-arn',
        TENANT_B,
        '--endpoint-url',
        emulator.url,
        '--json',
      ]);
      expect(withDefault.code).toBe(0);
      expect(storedByChannel()).toEqual({
        [TENANT_A]: ['uid-a-1', 'uid-a-2'],
        [TENANT_B]: ['uid-b-1', 'uid-none-2'],
      });
    },
    CHILD_MILLIS * 2,
  );
});
