// `send` can be stopped and run again: ids derived from the lines are the same on every run, Ctrl+C
// (SIGINT) prints the summary so far and exits 130, a second Ctrl+C exits at once, and --json prints the
// summary as one JSON object. Child processes of the CLI against an emulator on port 0. The rest of
// `send` (rejections, failures, stdin) is in cli.test.ts.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lineEventId } from '../../src/cli/line-event-id.js';
import type { SendSummary } from '../../src/cli/send-summary.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { REPO_ROOT, cleanEnv, eventData, runCliProcess, type CliResult } from './run-cli-process.js';

// Each test runs two CLI processes (or one for seconds); on a loaded machine each start takes seconds.
const TWO_CHILDREN_MILLIS = 90_000;

let dir: string;
let emulator: Emulator;

function line(n: number): string {
  return JSON.stringify(
    eventData({ userIdentity: { type: 'Customer', principalId: `user-${n}` }, UID: `uid-rerun-${n}` }),
  );
}

async function writeEvents(name: string, count: number): Promise<{ path: string; lines: string[] }> {
  const lines = Array.from({ length: count }, (_, i) => line(i + 1));
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return { path, lines };
}

function sentIds(): string[] {
  return emulator
    .received()
    .flatMap((request) => request.auditEvents ?? [])
    .map((entry) => entry.id);
}

/**
 * Starts `send`; once the emulator has seen a request, sends SIGINT, and with `twice` a second SIGINT
 * once the command says it is finishing the requests in flight. Resolves with the result.
 */
function sendAndInterrupt(args: readonly string[], twice: boolean): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'send', ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    const before = stderr;
    stderr += chunk.toString();
    if (twice && !before.includes('press Ctrl+C again') && stderr.includes('press Ctrl+C again')) {
      child.kill('SIGINT');
    }
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  void vi
    .waitFor(() => expect(emulator.received().length).toBeGreaterThan(0), {
      timeout: 20_000,
      interval: 20,
    })
    .then(() => child.kill('SIGINT'));
  return done;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctl-send-rerun-'));
  emulator = await startEmulator({ port: 0, log: () => undefined });
});

afterEach(() => {
  emulator.setFaults({});
  emulator.resetStats();
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('send, run again', () => {
  it(
    'gives a line without an id the same id on every run, derived from the line',
    async () => {
      const { path, lines } = await writeEvents('same-ids.jsonl', 3);
      const args = ['send', path, '--channel-arn', emulator.channelArn, '--endpoint-url', emulator.url];
      expect((await runCliProcess(args)).code).toBe(0);
      const first = sentIds();
      emulator.resetStats();
      expect((await runCliProcess(args)).code).toBe(0);
      expect(sentIds()).toEqual(first);
      expect(first).toEqual(lines.map(lineEventId));
    },
    TWO_CHILDREN_MILLIS,
  );

  it(
    'prints the summary as one JSON object with --json (and --output json)',
    async () => {
      const { path } = await writeEvents('json.jsonl', 2);
      const base = ['send', path, '--channel-arn', emulator.channelArn, '--endpoint-url', emulator.url];
      for (const flags of [['--json'], ['--output', 'json']]) {
        const result = await runCliProcess([...base, ...flags]);
        expect(result.code).toBe(0);
        const summary = JSON.parse(result.stdout) as SendSummary;
        expect(summary).toMatchObject({
          file: path,
          read: 2,
          accepted: 2,
          rejected: 0,
          failed: 0,
          interrupted: false,
          failures: [],
        });
      }
    },
    TWO_CHILDREN_MILLIS,
  );

  it(
    'at Ctrl+C finishes the request in flight, prints the summary so far and exits 130',
    async () => {
      // Five batches of 1,000 lines; slow answers keep a batch in flight when the signal comes.
      const { path } = await writeEvents('interrupted.jsonl', 5_000);
      emulator.setFaults({ latencyMillis: 1_000 });
      const result = await sendAndInterrupt(
        [path, '--channel-arn', emulator.channelArn, '--endpoint-url', emulator.url, '--json'],
        false,
      );
      expect(result.code).toBe(130);
      const summary = JSON.parse(result.stdout) as SendSummary;
      expect(summary.interrupted).toBe(true);
      expect(summary.accepted).toBeGreaterThan(0);
      expect(summary.unread).toBeGreaterThan(0);
      expect(summary.read + summary.unread).toBe(5_000);
      // Every line is accounted for: settled, read but not sent, or not read.
      expect(summary.accepted + summary.rejected + summary.failed + summary.notSent + summary.unread).toBe(
        5_000,
      );
      expect(sentIds().length).toBe(summary.accepted);
    },
    TWO_CHILDREN_MILLIS,
  );

  it(
    'says how to resume in the text summary, and a second Ctrl+C exits at once with 130',
    async () => {
      const { path } = await writeEvents('twice.jsonl', 5_000);
      // Two requests a second: the first batch of 1,000 events (10 requests) is in flight for seconds.
      const result = await sendAndInterrupt(
        [
          path,
          '--channel-arn',
          emulator.channelArn,
          '--endpoint-url',
          emulator.url,
          '--max-requests-per-second',
          '2',
        ],
        true,
      );
      expect(result.code).toBe(130);
      expect(result.stdout).toMatch(/^Sent \d+ event\(s\) from /m);
      // The batch in flight was not waited for: its lines count as read but not sent.
      expect(result.stdout).toMatch(/Interrupted: [1-9]\d* line\(s\) read but not sent and \d+ not read/);
    },
    TWO_CHILDREN_MILLIS,
  );
});
