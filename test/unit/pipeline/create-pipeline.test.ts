// The shared send pipeline with stub transports (our own interface): every entry comes back with exactly
// one fate even when the transport breaks its contract (throws, or answers 200 without some ids), and
// the counters add up. Real HTTP and real poison records are in test/integration/poison-pill.test.ts.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/errors.js';
import { systemClock } from '../../../src/internal/clock.js';
import type { AuditLogRecord } from '../../../src/mapping/audit-log-record.js';
import { resolveExporterOptions } from '../../../src/options.js';
import { createPipeline } from '../../../src/pipeline/create-pipeline.js';
import type { PipelineEntry, SendOutcome } from '../../../src/pipeline/pipeline-entry.js';
import type { Transport } from '../../../src/transport/transport.js';

const CHANNEL = 'arn:aws:cloudtrail:us-east-1:123456789012:channel/unit';

function entry(id: string): PipelineEntry {
  const record: AuditLogRecord = {
    hrTime: [1795253400, 0],
    hrTimeObserved: [1795253400, 0],
    resource: { attributes: {} },
    instrumentationScope: { name: 'unit' },
    attributes: {
      'audit.user_identity.type': 'User',
      'audit.user_identity.principal_id': id,
      'audit.event_name': 'Login',
      'audit.event_source': 'unit',
    },
  };
  return { id, record };
}

function pipelineOver(transport: Transport) {
  const options = resolveExporterOptions(
    { channelArn: CHANNEL, credentials: { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit-secret' } },
    {},
  );
  return createPipeline(options, systemClock, transport);
}

function fates(outcome: SendOutcome): Map<string, string> {
  const out = new Map<string, string>();
  const add = (id: string, fate: string) => {
    expect(out.has(id), `${id} has two fates`).toBe(false);
    out.set(id, fate);
  };
  for (const accepted of outcome.accepted) add(accepted.id, 'accepted');
  for (const rejection of outcome.rejected) add(rejection.eventId, 'rejected');
  for (const group of outcome.failed) for (const id of group.ids) add(id, 'failed');
  return out;
}

const deadline = () => Date.now() + 5_000;

describe('createPipeline', () => {
  it('gives every entry one fate when the transport throws, and counts them failed', async () => {
    const pipeline = pipelineOver({
      send: () => {
        throw new Error('plug-in exploded');
      },
      shutdown: () => Promise.resolve(),
    });
    const outcome = await pipeline.send(['a', 'b', 'c'].map(entry), { deadline: deadline() });
    expect([...fates(outcome)]).toEqual([
      ['a', 'failed'],
      ['b', 'failed'],
      ['c', 'failed'],
    ]);
    expect(pipeline.stats.snapshot()).toMatchObject({ failed: 3, exported: 0, rejected: 0 });
    await pipeline.close();
  });

  it('fails the ids a 200 answer leaves out, and accepts the rest with their eventID', async () => {
    const pipeline = pipelineOver({
      send: (request) =>
        Promise.resolve({
          status: 'success',
          response: {
            successful: request.events
              .filter((event) => event.id !== 'b')
              .map((event) => ({ id: event.id, eventID: `lake-${event.id}` })),
            failed: [],
          },
        }),
      shutdown: () => Promise.resolve(),
    });
    const outcome = await pipeline.send(['a', 'b'].map(entry), { deadline: Date.now() + 200 });
    expect(outcome.accepted).toEqual([{ id: 'a', eventId: 'lake-a' }]);
    expect([...fates(outcome)]).toEqual([
      ['a', 'accepted'],
      ['b', 'failed'],
    ]);
    await pipeline.close();
  });

  it('answers an aborted send with every entry failed, without calling the transport', async () => {
    let calls = 0;
    const pipeline = pipelineOver({
      send: () => {
        calls += 1;
        return Promise.resolve({ status: 'success', response: { successful: [], failed: [] } });
      },
      shutdown: () => Promise.resolve(),
    });
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const outcome = await pipeline.send(['a', 'b'].map(entry), {
      deadline: deadline(),
      signal: controller.signal,
    });
    expect(calls).toBe(0);
    expect([...fates(outcome).values()]).toEqual(['failed', 'failed']);
    await pipeline.close();
  });

  it('rejects a record whose filter throws at entry with a MappingError, and skips non-audit records', () => {
    const options = resolveExporterOptions(
      {
        channelArn: CHANNEL,
        credentials: { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit-secret' },
        filter: (record) => {
          if (record.attributes['boom'] === true) throw new Error('filter exploded');
          return record.attributes['audit.event_name'] !== undefined;
        },
      },
      {},
    );
    const pipeline = createPipeline(options, systemClock, {
      send: () => Promise.reject(new Error('not used')),
      shutdown: () => Promise.resolve(),
    });
    const boom = { ...entry('x').record, attributes: { boom: true } };
    const decision = pipeline.decide(boom);
    expect(decision).toMatchObject({ kind: 'rejected', error: { code: ERROR_CODES.MAPPING_FAILED } });
    expect(pipeline.decide({ ...boom, attributes: {} })).toEqual({ kind: 'skip' });
    expect(pipeline.decide(entry('y').record)).toMatchObject({ kind: 'entry' });
    expect(pipeline.stats.snapshot()).toMatchObject({ rejected: 1, skipped: 1 });
  });
});
