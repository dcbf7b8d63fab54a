// A model-based property of the ledger (fast-check): random emits, endpoint faults (outage, throttling,
// per-event failures), flushes and restarts of the processor over one file spool. After every step
// taken = accepted + rejected + dropped + pending; at the end, with the endpoint healthy again, every
// record the durable spool accepted is stored by the emulator, and the model's count of records the
// processor was given equals what its ledgers took.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorFaults } from '../../src/emulator/index.js';
import type { LedgerStats } from '../../src/processor/ledger.js';
import { auditAttributes, createPipeline, type Pipeline } from '../helpers/audit-pipeline.js';

type Step =
  | { kind: 'emit'; count: number }
  | { kind: 'fault'; faults: EmulatorFaults }
  | { kind: 'flush' }
  | { kind: 'restart' };

const faults: fc.Arbitrary<EmulatorFaults> = fc.constantFrom<EmulatorFaults>(
  {},
  { outage: { mode: 'unavailable' } },
  { outage: { mode: 'reset' } },
  { throttleRate: 0.5 },
  { serverErrorRate: 0.5 },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('emit' as const), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('fault' as const), faults }),
  fc.constant({ kind: 'flush' as const }),
  fc.constant({ kind: 'restart' as const }),
);

function expectBalanced(ledger: LedgerStats): void {
  expect(ledger.taken).toBe(ledger.accepted + ledger.rejected + ledger.dropped + ledger.pending);
  expect(ledger.pending).toBeGreaterThanOrEqual(0);
}

async function run(steps: readonly Step[]): Promise<void> {
  const emulator: Emulator = await startEmulator({ port: 0 });
  const directory = mkdtempSync(join(tmpdir(), 'ctl-ledger-model-'));
  const open = (): Pipeline =>
    createPipeline(
      emulator,
      { timeoutMillis: 300, retry: { maxAttempts: 2, initialBackoffMillis: 1, maxBackoffMillis: 5 } },
      { spool: { directory, fsync: 'never' }, scheduledDelayMillis: 10, redeliveryDelayMillis: 20 },
    );
  let pipeline = open();
  const emitted: string[] = [];
  let takenByEarlierRuns = 0;
  let replayedByLaterRuns = 0;
  try {
    for (const current of steps) {
      if (current.kind === 'emit') {
        for (let i = 0; i < current.count; i++) {
          const id = `model-${emitted.length}`;
          emitted.push(id);
          pipeline.emit(auditAttributes(emitted.length, { 'audit.id': id }));
        }
      } else if (current.kind === 'fault') emulator.setFaults(current.faults);
      else if (current.kind === 'flush') await pipeline.processor.forceFlush();
      else {
        await pipeline.provider.shutdown();
        const ledger = pipeline.processor.stats.ledger;
        expectBalanced(ledger);
        takenByEarlierRuns += ledger.taken;
        pipeline = open();
        // Replayed records are taken again by the new run: count them so the totals stay comparable.
        await pipeline.processor.forceFlush();
        replayedByLaterRuns += pipeline.processor.stats.ledger.taken;
      }
      expectBalanced(pipeline.processor.stats.ledger);
    }
    emulator.setFaults({});
    await pipeline.provider.shutdown();
    const last = pipeline.processor.stats.ledger;
    expectBalanced(last);
    takenByEarlierRuns += last.taken;
    // Every emit went into some run's ledger (replays are counted again by the run that sends them).
    expect(takenByEarlierRuns - replayedByLaterRuns).toBe(emitted.length);
    // One more start sends whatever a deadline left in the spool; then nothing a durable spool accepted
    // is missing from the Lake (records can only be dropped here after shutdown, which never happens).
    const final = open();
    await final.provider.shutdown();
    expect(final.processor.stats.ledger.pending).toBe(0);
    const stored = new Set(emulator.events().map((event) => event.eventData['UID'] as string));
    expect(emitted.filter((id) => !stored.has(id))).toEqual([]);
  } finally {
    await pipeline.provider.shutdown();
    await emulator.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('the ledger, model-based', () => {
  it('balances after every step, and nothing the durable spool accepted is lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => run(steps)),
      { numRuns: 8 },
    );
  }, 120_000);
});
