// One record whose mapping throws in an unexpected way (a throwing getter, a Proxy, a value nested
// 10,000 deep, or `mapRecord` returning such a value) through every entry point: the processor with the
// exporter, the exporter alone behind the sdk's BatchLogRecordProcessor, the OTLP bridge and the CLI's
// `send`. That record alone is rejected with a typed error, the others land, every record is settled
// and the counters add up; with the file spool the record does not come back after a restart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBridge } from '../../src/bridge/index.js';
import { sendCommand } from '../../src/cli/send-command.js';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { ERROR_CODES, type EventRejection } from '../../src/errors.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { CloudTrailLakeLogExporterOptions } from '../../src/options.js';
import { auditRecord, jsonRequest, post } from '../bridge/bridge-harness.js';
import { auditAttributes, createPipeline, emulatorExporterOptions } from '../helpers/audit-pipeline.js';

function deepValue(depth = 10_000): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Values that break a naive mapper, each built fresh. */
const POISONS: Record<string, () => unknown> = {
  'a throwing getter': () => ({
    get boom(): string {
      throw new Error('getter exploded');
    },
  }),
  'a Proxy': () =>
    new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('proxy exploded');
        },
        get: () => {
          throw new Error('proxy exploded');
        },
      },
    ),
  'a value nested 10,000 deep': () => deepValue(),
};

const POISON_ID = 'poison-2';
const RECORDS = 5;
const ids = Array.from({ length: RECORDS }, (_, n) => (n === 2 ? POISON_ID : `good-${n}`));

/** mapRecord that returns `poison` inside additionalEventData for the poisoned record only. */
function poisoningMapRecord(poison: () => unknown): CloudTrailLakeLogExporterOptions['mapRecord'] {
  return (record, draft) =>
    record.attributes['audit.id'] === POISON_ID || draft.UID === POISON_ID
      ? { ...draft, additionalEventData: { nested: poison() } as never }
      : draft;
}

type Variant = {
  name: string;
  body?: () => unknown;
  mapRecord?: CloudTrailLakeLogExporterOptions['mapRecord'];
};
const VARIANTS: Variant[] = [
  ...Object.entries(POISONS).map(([name, poison]) => ({ name: `a body holding ${name}`, body: poison })),
  ...Object.entries(POISONS).map(([name, poison]) => ({
    name: `mapRecord returning ${name}`,
    mapRecord: poisoningMapRecord(poison),
  })),
];

let emulator: Emulator;
let rejected: EventRejection[];
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  rejected = [];
});
afterEach(async () => {
  await emulator.close();
});

function stored(): string[] {
  return emulator
    .events()
    .map((event) => event.eventData['UID'] as string)
    .sort();
}

function expectPoisonRejectedAlone(): void {
  expect(stored()).toEqual(ids.filter((id) => id !== POISON_ID).sort());
  expect(rejected.map((r) => [r.eventId, r.code])).toEqual([[POISON_ID, ERROR_CODES.MAPPING_FAILED]]);
}

function exporterOptions(variant: Variant): CloudTrailLakeLogExporterOptions {
  return {
    ...(variant.mapRecord === undefined ? {} : { mapRecord: variant.mapRecord }),
    onRejected: (list) => void rejected.push(...list),
  };
}

describe.each(VARIANTS)('a record with $name', (variant) => {
  const emitAll = (emit: (attributes: Record<string, unknown>, body?: unknown) => void): void => {
    ids.forEach((id, n) =>
      emit(auditAttributes(n, { 'audit.id': id }), id === POISON_ID ? variant.body?.() : undefined),
    );
  };

  it('is rejected alone through the processor and the exporter, and the ledger balances', async () => {
    const pipeline = createPipeline(emulator, exporterOptions(variant));
    emitAll((attributes, body) => pipeline.emit(attributes, body));
    await pipeline.provider.shutdown();
    expectPoisonRejectedAlone();
    expect(pipeline.processor.stats.ledger).toMatchObject({
      taken: RECORDS,
      accepted: RECORDS - 1,
      rejected: 1,
      dropped: 0,
      pending: 0,
    });
    expect(pipeline.exporter.stats).toMatchObject({ exported: RECORDS - 1, rejected: 1, failed: 0 });
  });

  it("is rejected alone through the exporter behind the sdk's BatchLogRecordProcessor", async () => {
    const exporter = new CloudTrailLakeLogExporter(
      emulatorExporterOptions(emulator, exporterOptions(variant)),
      {},
    );
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'poison-tests' }),
      processors: [new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000 })],
    });
    const logger = provider.getLogger('poison');
    emitAll((attributes, body) =>
      logger.emit({ body: body as string, attributes: attributes as Record<string, string> }),
    );
    await provider.shutdown();
    expectPoisonRejectedAlone();
    expect(exporter.stats).toMatchObject({ exported: RECORDS - 1, rejected: 1, failed: 0 });
  });
});

describe.each(VARIANTS.filter((variant) => variant.mapRecord !== undefined))(
  'the bridge, with $name',
  (variant) => {
    it.each([true, false])(
      'rejects that record alone (validated on intake: %s) and answers with the count',
      async (validateOnIntake) => {
        const bridge = await startBridge(
          {
            port: 0,
            validateOnIntake,
            exporterOptions: emulatorExporterOptions(emulator, exporterOptions(variant)),
          },
          {},
        );
        const records = ids.map((id) => auditRecord(id, [{ key: 'audit.id', value: { stringValue: id } }]));
        const answer = await post(`${bridge.url}/v1/logs`, JSON.stringify(jsonRequest(records)), {
          'content-type': 'application/json',
        });
        expect(answer.status).toBe(200);
        const result = await bridge.close();
        expect(result).toMatchObject({ drained: true, pendingRecords: 0 });
        expect(stored()).toEqual(ids.filter((id) => id !== POISON_ID).sort());
        expect(rejected.map((r) => r.eventId)).toEqual(validateOnIntake ? [] : [POISON_ID]);
        expect(bridge.counters.acceptedRecords + bridge.counters.rejectedRecords).toBe(RECORDS);
      },
    );
  },
);

describe('the CLI send command', () => {
  it('rejects a line nested 10,000 deep alone, sends the rest and reports it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'poison-send-'));
    try {
      const file = join(directory, 'events.jsonl');
      // Written by hand: JSON.stringify itself overflows the stack on a value this deep.
      const deepJson = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      const lines = ids.map((id, n) => {
        const eventData = JSON.stringify({
          version: '1.0',
          UID: id,
          userIdentity: { type: 'User', principalId: `user-${n}` },
          eventName: 'Login',
          eventSource: 'poison-tests',
          eventTime: '2026-11-21T12:00:00Z',
          recipientAccountId: '123456789012',
        });
        const data =
          id === POISON_ID ? `${eventData.slice(0, -1)},"additionalEventData":${deepJson}}` : eventData;
        return `{"id":"${id}","eventData":${data}}`;
      });
      writeFileSync(file, `${lines.join('\n')}\n`);
      const out: string[] = [];
      const code = await sendCommand.run(
        [file, '--channel-arn', emulator.channelArn, '--endpoint', emulator.url],
        {
          out: (line) => void out.push(line),
          err: (line) => void out.push(line),
          progress: () => undefined,
          isTty: false,
          // No AWS_ACCESS_KEY_ID: against a local emulator the command signs with placeholder credentials.
          env: {},
          stdin: Readable.from([]),
        },
      );
      expect(code, out.join('\n')).toBe(1);
      expect(stored(), out.join('\n')).toEqual(ids.filter((id) => id !== POISON_ID).sort());
      expect(out.join('\n')).toMatch(/4 accepted, 1 rejected, 0 failed/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('with the file spool', () => {
  it('does not bring a poisoned record back after a restart', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'poison-spool-'));
    try {
      const options = exporterOptions({ name: 'deep', mapRecord: poisoningMapRecord(() => deepValue()) });
      const first = createPipeline(emulator, options, { spool: { directory, fsync: 'never' } });
      ids.forEach((id, n) => first.emit(auditAttributes(n, { 'audit.id': id })));
      await first.provider.shutdown();
      expectPoisonRejectedAlone();
      expect(first.processor.stats.spoolRecords).toBe(0);

      const second = createPipeline(emulator, options, { spool: { directory, fsync: 'never' } });
      await second.provider.shutdown();
      expect(second.processor.stats.ledger.taken).toBe(0);
      expect(stored()).toHaveLength(RECORDS - 1);
      expect(rejected).toHaveLength(1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
