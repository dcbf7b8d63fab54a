// The file spool on its own: records survive a reopen with their ids and map to the same eventData,
// settled segments are deleted, damaged frames are skipped and counted, the size bound and the lock hold.
// The processor wiring and crash tests are in test/durability/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudTrailLakeError } from '../../../src/errors.js';
import { prepareAuditEvents } from '../../../src/prepare-audit-events.js';
import { createFileSpool, type FileSpool } from '../../../src/spool/file-spool.js';
import { LOCK_FILE_NAME, parseLockOwner } from '../../../src/spool/spool-lock.js';
import type { Spool } from '../../../src/spool/spool.js';
import { captureDiag, type CapturedDiag } from '../../helpers/capture-diag.js';
import { makeRecords } from '../../helpers/log-records.js';

let directory: string;
let diag: CapturedDiag;
const opened: Spool[] = [];

function open(options: Partial<Parameters<typeof createFileSpool>[0]> = {}): FileSpool {
  const spool = createFileSpool({ directory, fsync: 'never', ...options });
  opened.push(spool);
  return spool;
}

function attributes(n: number): Record<string, unknown> {
  return {
    'audit.id': `evt-${n}`,
    'audit.user_identity.type': 'User',
    'audit.user_identity.principal_id': `user-${n}`,
    'audit.event_name': 'Login',
    'audit.request_parameters': { n, bytes: new Uint8Array([1, 2, 3]), ratio: Number.NaN },
  };
}

function segments(): string[] {
  return readdirSync(directory)
    .filter((name) => name.startsWith('segment-'))
    .sort();
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ctl-spool-'));
  diag = captureDiag();
});

afterEach(async () => {
  for (const spool of opened.splice(0)) await spool.close();
  diag.restore();
  rmSync(directory, { recursive: true, force: true });
});

describe('file spool', () => {
  it('replays unacked records after a reopen, with their ids, mapping to the same eventData', async () => {
    const records = await makeRecords([1, 2, 3].map(attributes));
    const spool = open();
    records.forEach((record, i) => expect(spool.append(`evt-${i + 1}`, record)).toBe(true));
    spool.ack(['evt-2']);
    expect(spool.size).toBe(2);
    await spool.close();

    const reopened = open();
    const entries = await reopened.replay();
    expect(entries.map((entry) => entry.id)).toEqual(['evt-1', 'evt-3']);
    const options = { recipientAccountId: '123456789012' };
    const context = { now: () => 0, newId: () => 'unused' };
    const original = prepareAuditEvents([records[0]!, records[2]!], options, context).events;
    const replayed = prepareAuditEvents(
      entries.map((entry) => entry.record),
      options,
      context,
    ).events;
    expect(replayed.map((event) => event.eventData)).toEqual(original.map((event) => event.eventData));
    expect(replayed[0]?.eventData).toContain('"bytes":"AQID"');
    expect(reopened.stats?.()).toMatchObject({ records: 2, corruptRecords: 0 });
  });

  it('deletes a segment once every record in it is settled', async () => {
    const records = await makeRecords([1, 2].map(attributes));
    const spool = open();
    spool.append('evt-1', records[0]!);
    spool.append('evt-2', records[1]!);
    expect(segments()).toEqual(['segment-0000000001.log']);
    spool.ack(['evt-1']);
    expect(segments()).toEqual(['segment-0000000001.acks', 'segment-0000000001.log']);
    spool.ack(['evt-2']);
    expect(segments()).toEqual([]);
    expect(spool.stats?.()).toMatchObject({ records: 0, bytes: 0, oldestAppendedAtMillis: undefined });
  });

  it('skips a torn last record and a damaged one, counts them, and replays the rest', async () => {
    const records = await makeRecords([1, 2, 3, 4].map(attributes));
    const spool = open();
    records.forEach((record, i) => spool.append(`evt-${i + 1}`, record));
    await spool.close();
    const file = join(directory, 'segment-0000000001.log');
    const data = readFileSync(file);
    // Flip a byte inside the second record's payload, then tear the last record in half.
    const second = data.indexOf('evt-2');
    data[second + 10] = data[second + 10]! ^ 0xff;
    writeFileSync(file, data);
    const last = data.lastIndexOf('CTLS');
    truncateSync(file, last + 20);

    const reopened = open();
    expect((await reopened.replay()).map((entry) => entry.id)).toEqual(['evt-1', 'evt-3']);
    expect(reopened.stats?.().corruptRecords).toBe(2);
    expect(diag.matching('warn', /skipped 2 damaged record/)).toHaveLength(1);
  });

  it('refuses records past maxBytes, counts and warns, and accepts again once acks free space', async () => {
    const records = await makeRecords([1, 2, 3].map(attributes));
    const spool = open({ maxBytes: 4_096 });
    let accepted = 0;
    while (spool.append(`evt-${accepted}`, records[0]!) !== false) accepted += 1;
    expect(accepted).toBeGreaterThan(2);
    expect(spool.append('evt-refused', records[1]!)).toBe(false);
    expect(spool.stats?.()).toMatchObject({ records: accepted, refused: 2 });
    expect(spool.stats!().bytes).toBeLessThanOrEqual(4_096);
    expect(diag.matching('warn', /is full \(maxBytes 4096/)).toHaveLength(1);
    spool.ack(Array.from({ length: accepted }, (_, i) => `evt-${i}`));
    expect(spool.append('evt-after', records[2]!)).toBe(true);
  });

  it('keeps released records and hands them back for redelivery', async () => {
    const records = await makeRecords([1, 2].map(attributes));
    const spool = open();
    spool.append('evt-1', records[0]!);
    spool.append('evt-2', records[1]!);
    spool.release(['evt-2']);
    expect(spool.size).toBe(2);
    const again = spool.takeReleased(10);
    expect(again.map((entry) => entry.id)).toEqual(['evt-2']);
    expect(again[0]?.record.attributes['audit.user_identity.principal_id']).toBe('user-2');
    expect(spool.takeReleased(10)).toEqual([]);
  });

  it('refuses a directory this process already has open', () => {
    open();
    let error: unknown;
    try {
      open();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CloudTrailLakeError);
    expect(error).toMatchObject({ code: 'CTL_ERR_SPOOL' });
    expect((error as Error).message).toContain(`in use by process ${process.pid} (this process`);
  });

  it('takes over a lock whose process is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(directory, LOCK_FILE_NAME), `${dead}\n`);
    const spool = open();
    expect(parseLockOwner(readFileSync(join(directory, LOCK_FILE_NAME), 'utf8'))?.pid).toBe(process.pid);
    await spool.close();
    expect(readdirSync(directory)).not.toContain(LOCK_FILE_NAME);
  });
});
