// Nothing lost on a crash: a child process emits 10,000 audit records through the file spool while
// exports are in flight, is killed with SIGKILL, and a second process on the same spool sends the rest.
// The file spool's own behaviour is in test/unit/spool/; outages and shutdown in the other durability files.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/defaults.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startFixture } from './child-process.js';

let emulator: Emulator | undefined;
let directory: string | undefined;

afterEach(async () => {
  await emulator?.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

const RECORDS = 10_000;
/** The child's maxExportBatchSize: the records of one export. */
const EXPORT_BATCH = 400;
/** The most records that can be sent but not yet acked: one batch per export in flight. */
const MAX_UNACKED = EXPORT_BATCH * DEFAULTS.maxConcurrentExports;

describe('crash recovery with the file spool', () => {
  it('delivers every record whose emit() returned after a kill -9, duplicates only in-flight ones under the same id and UID', async () => {
    emulator = await startEmulator({ port: 0, faults: { latencyMillis: 40 }, maxReceivedRequests: 10_000 });
    directory = mkdtempSync(join(tmpdir(), 'ctl-crash-'));
    const env = {
      EMULATOR_URL: emulator.url,
      CHANNEL_ARN: emulator.channelArn,
      SPOOL_DIR: directory,
      RECORDS: String(RECORDS),
    };
    let emitted = 0;
    let killedWithRequestsInFlight = -1;
    const first = startFixture('emit-records.ts', env, (line) => {
      if (line.startsWith('emitted ')) emitted += 1;
      if (killedWithRequestsInFlight < 0 && emitted >= RECORDS / 2 && emulator!.stats.inFlightRequests > 0) {
        killedWithRequestsInFlight = emulator!.stats.inFlightRequests;
        first.process.kill('SIGKILL');
      }
    });
    const exit = await first.exited;
    expect(exit.signal, first.stderr()).toBe('SIGKILL');
    expect(killedWithRequestsInFlight).toBeGreaterThan(0);
    const reported = first.lines.filter((line) => line.startsWith('emitted ')).length;
    expect(reported).toBeGreaterThanOrEqual(RECORDS / 2);
    expect(reported).toBeLessThan(RECORDS);
    const storedAtKill = emulator.events().length;
    expect(storedAtKill).toBeLessThan(reported); // the spool, not luck, has to deliver the rest

    const second = startFixture('emit-records.ts', { ...env, RECORDS: '0', SHUTDOWN: '1' });
    await second.waitForLine(/^done /, 30_000);
    expect((await second.exited).code, second.stderr()).toBe(0);

    const events = emulator.events();
    const byPrincipal = new Map<string, Array<Record<string, unknown>>>();
    for (const event of events) {
      const principal = (event.eventData['userIdentity'] as { principalId: string }).principalId;
      byPrincipal.set(principal, [...(byPrincipal.get(principal) ?? []), event.eventData]);
    }
    const missing = Array.from({ length: reported }, (_, n) => `p-${n}`).filter((p) => !byPrincipal.has(p));
    expect(missing).toEqual([]);

    const duplicated = [...byPrincipal.values()].filter((copies) => copies.length > 1);
    expect(events.length - byPrincipal.size).toBeLessThanOrEqual(MAX_UNACKED);
    for (const copies of duplicated) {
      expect(new Set(copies.map((copy) => JSON.stringify(copy))).size).toBe(1);
    }
    // UID falls back to the event id, so one UID per record means one id per record across both runs.
    for (const request of emulator.received()) {
      for (const entry of request.auditEvents ?? []) {
        expect((JSON.parse(entry.eventData) as { UID: string }).UID).toBe(entry.id);
      }
    }
    expect(readdirSync(directory).filter((name) => name.startsWith('segment-'))).toEqual([]);
  }, 60_000);
});
