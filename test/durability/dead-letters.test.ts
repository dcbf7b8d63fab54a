// Dead letters end to end: events rejected for good, locally (a missing field) or by the service
// (a per-event InvalidData), land in the JSONL dead-letter file with their eventData and reason, leave
// the spool, are counted, and after a fix are sent again under their ids with `otel-cloudtrail-lake send`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { DeadLetter } from '../../src/dead-letter/dead-letter.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { auditAttributes, createPipeline, type Pipeline } from '../helpers/audit-pipeline.js';

let emulator: Emulator;
let pipeline: Pipeline | undefined;
let directory: string;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  directory = mkdtempSync(join(tmpdir(), 'ctl-dead-'));
});

afterEach(async () => {
  await pipeline?.provider.shutdown();
  pipeline = undefined;
  await emulator.close();
  rmSync(directory, { recursive: true, force: true });
});

function readLines(path: string): DeadLetter[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as DeadLetter);
}

describe('dead letters', () => {
  it('writes local and service rejections with eventData and reason, and they can be fixed and re-sent', async () => {
    const path = join(directory, 'dead', 'letters.jsonl');
    emulator.setFaults({
      failEvents: [{ id: 'bad-remote', errorCode: 'InvalidData', errorMessage: 'bad field' }],
    });
    pipeline = createPipeline(
      emulator,
      { deadLetter: { path } },
      { spool: { directory: join(directory, 'spool'), fsync: 'never' } },
    );
    pipeline.emit(auditAttributes(0));
    pipeline.emit({
      'audit.id': 'bad-local',
      'audit.user_identity.type': 'User',
      'audit.event_name': 'Login',
    });
    pipeline.emit(auditAttributes(2, { 'audit.id': 'bad-remote' }));
    await pipeline.processor.forceFlush();

    const letters = readLines(path).sort((a, b) => a.id.localeCompare(b.id));
    expect(letters.map((letter) => letter.id)).toEqual(['bad-local', 'bad-remote']);
    expect(letters[0]).toMatchObject({
      eventData: { UID: 'bad-local', eventName: 'Login', userIdentity: { type: 'User' } },
      reason: { code: 'CTL_ERR_FIELD_MISSING', field: 'userIdentity.principalId' },
    });
    expect(letters[0]?.reason.message).toContain('userIdentity.principalId');
    expect(letters[1]).toMatchObject({
      eventData: { UID: 'bad-remote', userIdentity: { principalId: 'user-2' } },
      reason: { code: 'CTL_ERR_REJECTED_BY_SERVICE', serviceErrorCode: 'InvalidData' },
    });
    expect(Date.parse(letters[1]!.reason.rejectedAt)).not.toBeNaN();
    expect(pipeline.processor.stats).toMatchObject({
      exported: 1,
      rejected: 2,
      deadLettered: 2,
      spoolRecords: 0,
    });

    // Fix the local one, let the service accept the other, and send the file again.
    const fixed = letters.map((letter) =>
      letter.id === 'bad-local'
        ? {
            ...letter,
            eventData: { ...letter.eventData, userIdentity: { type: 'User', principalId: 'fixed' } },
          }
        : letter,
    );
    writeFileSync(path, fixed.map((letter) => JSON.stringify(letter)).join('\n') + '\n');
    emulator.setFaults({});
    const out: string[] = [];
    const code = await runCli(
      ['send', path, '--channel-arn', emulator.channelArn, '--endpoint', emulator.url],
      {
        out: (line) => out.push(line),
        err: (line) => out.push(line),
        progress: () => undefined,
        isTty: false,
        env: {},
        stdin: new PassThrough(),
      },
    );
    expect(code, out.join('\n')).toBe(0);
    const uids = emulator.events().map((event) => event.eventData['UID']);
    expect(uids).toEqual(expect.arrayContaining(['bad-local', 'bad-remote']));
    const resent = emulator
      .received()
      .at(-1)
      ?.auditEvents?.map((entry) => entry.id);
    expect(resent?.sort()).toEqual(['bad-local', 'bad-remote']);
  });

  it('hands dead letters to onDeadLetter and survives it throwing', async () => {
    const seen: DeadLetter[] = [];
    let calls = 0;
    pipeline = createPipeline(emulator, {
      deadLetter: {
        onDeadLetter: (entries) => {
          calls += 1;
          seen.push(...entries);
          if (calls === 1) throw new Error('sink down');
        },
      },
    });
    pipeline.emit({
      'audit.id': 'no-principal-1',
      'audit.user_identity.type': 'User',
      'audit.event_name': 'A',
    });
    await pipeline.processor.forceFlush();
    pipeline.emit({
      'audit.id': 'no-principal-2',
      'audit.user_identity.type': 'User',
      'audit.event_name': 'B',
    });
    pipeline.emit(auditAttributes(3));
    await pipeline.processor.forceFlush();
    expect(seen.map((letter) => letter.id)).toEqual(['no-principal-1', 'no-principal-2']);
    // The first call threw: it is not counted as written.
    expect(pipeline.processor.stats).toMatchObject({ deadLettered: 1, rejected: 2, exported: 1 });
  });
});
