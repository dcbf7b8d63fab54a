// SIGTERM with the file spool: a child process that queued thousands of audit records behind a long
// scheduled delay flushes them all through the processor's shutdownOnSignals helper within the export
// deadline, leaves nothing in the spool, and exits by the signal; and a child that keeps emitting while
// the flush runs accounts for every record. (Signal plumbing: processor-signals.test.ts.)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startFixture } from './child-process.js';

let emulator: Emulator | undefined;
let directory: string | undefined;

afterEach(async () => {
  await emulator?.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

const RECORDS = 3_000;
const DEADLINE_MILLIS = 5_000;

describe('flush on SIGTERM', () => {
  it('sends every queued record within the deadline and leaves the spool empty', async () => {
    emulator = await startEmulator({ port: 0, faults: { latencyMillis: 30 } });
    directory = mkdtempSync(join(tmpdir(), 'ctl-sigterm-'));
    const child = startFixture('emit-records.ts', {
      EMULATOR_URL: emulator.url,
      CHANNEL_ARN: emulator.channelArn,
      SPOOL_DIR: directory,
      RECORDS: String(RECORDS),
      CHUNK: String(RECORDS),
      SCHEDULED_DELAY_MILLIS: '600000',
      ON_SIGNALS: '1',
      TIMEOUT_MILLIS: String(DEADLINE_MILLIS),
    });
    await child.waitForLine(/^all-emitted$/);
    expect(emulator.events()).toHaveLength(0);
    child.process.kill('SIGTERM');
    const exit = await child.exited;

    // The flush finished within the deadline: one cut short would leave records unsent and in the spool.
    expect(exit.signal, child.stderr()).toBe('SIGTERM');
    expect(emulator.events()).toHaveLength(RECORDS);
    expect(readdirSync(directory).filter((name) => name.startsWith('segment-'))).toEqual([]);
  }, 30_000);
});

describe('SIGTERM while emitting', () => {
  it('accounts for every record: emitted during the flush too, and the ledger balances', async () => {
    emulator = await startEmulator({ port: 0, faults: { latencyMillis: 20 } });
    directory = mkdtempSync(join(tmpdir(), 'ctl-sigterm-emitting-'));
    const child = startFixture('emit-records.ts', {
      EMULATOR_URL: emulator.url,
      CHANNEL_ARN: emulator.channelArn,
      SPOOL_DIR: directory,
      FOREVER: '1',
      CHUNK: '50',
      SCHEDULED_DELAY_MILLIS: '50',
      ON_SIGNALS: '1',
      TIMEOUT_MILLIS: '3000',
    });
    await child.waitForLine(/^emitted 1999$/);
    child.process.kill('SIGTERM');
    const exit = await child.exited;
    expect(exit.signal, child.stderr()).toBe('SIGTERM');

    const finalIndex = child.lines.findIndex((line) => line.startsWith('final '));
    expect(finalIndex, child.stderr()).toBeGreaterThan(0);
    const finalLine = child.lines[finalIndex];
    const emitted = child.lines.slice(0, finalIndex).filter((line) => line.startsWith('emitted ')).length;
    const ledger = JSON.parse(finalLine!.slice('final '.length)) as {
      taken: number;
      accepted: number;
      rejected: number;
      dropped: number;
      pending: number;
      droppedByReason: Record<string, number>;
    };
    // Every emit() the child made is in the ledger, including those after shutdown began.
    expect(ledger.taken).toBe(emitted);
    expect(ledger.accepted + ledger.rejected + ledger.dropped + ledger.pending).toBe(ledger.taken);
    // Emits went on while the flush ran: they are counted, not silently discarded.
    expect(ledger.droppedByReason['after_shutdown']).toBeGreaterThan(0);
    expect(ledger.dropped).toBe(ledger.droppedByReason['after_shutdown']);
    const stored = new Set(emulator.events().map((event) => event.eventData['UID']));
    expect(stored.size).toBe(ledger.accepted);
  }, 60_000);
});
