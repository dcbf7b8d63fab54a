// What the file spool puts on disk: files 0600 in 0700 directories under a permissive umask, and only
// the attributes that can be sent. Replay and the lock: file-spool.test.ts and spool-lock.test.ts.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareAuditEvents } from '../../../src/prepare-audit-events.js';
import { createFileSpool, type FileSpool, type FileSpoolOptions } from '../../../src/spool/file-spool.js';
import { resolveSpool } from '../../../src/spool/resolve-spool.js';
import type { Spool } from '../../../src/spool/spool.js';
import { makeRecords } from '../../helpers/log-records.js';

const COOKIE = 'session=s3cr3t-cookie-value';

let root: string;
let previousUmask: number;
const opened: Spool[] = [];

function open(directory: string, options: Partial<FileSpoolOptions> = {}): FileSpool {
  const spool = createFileSpool({ directory, fsync: 'never', ...options });
  opened.push(spool);
  return spool;
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

const attributes = {
  'audit.id': 'evt-1',
  'audit.user_identity.type': 'User',
  'audit.user_identity.principal_id': 'alice',
  'audit.event_name': 'Login',
  'client.address': '192.0.2.10',
  'http.request.header.cookie': COOKIE,
};

beforeEach(() => {
  // The common default that makes files 0644 and directories 0755 unless modes are set explicitly.
  previousUmask = process.umask(0o022);
  root = mkdtempSync(join(tmpdir(), 'ctl-spool-private-'));
});

afterEach(async () => {
  for (const spool of opened.splice(0)) await spool.close();
  process.umask(previousUmask);
  rmSync(root, { recursive: true, force: true });
});

describe('file spool on disk', () => {
  it('creates its directories 0700 and its segment, ack and lock files 0600 under umask 022', async () => {
    const directory = join(root, 'var', 'spool');
    const spool = open(directory);
    const records = await makeRecords([attributes, { ...attributes, 'audit.id': 'evt-2' }]);
    spool.append('evt-1', records[0]!);
    spool.append('evt-2', records[1]!);
    spool.ack(['evt-1']);
    expect(mode(join(root, 'var'))).toBe(0o700);
    expect(mode(directory)).toBe(0o700);
    const files = readdirSync(directory).sort();
    expect(files).toEqual(['segment-0000000001.acks', 'segment-0000000001.log', 'spool.lock']);
    for (const file of files) expect(mode(join(directory, file))).toBe(0o600);
  });

  it('keeps a cookie header attribute out of the segment, and the replayed record maps the same', async () => {
    const directory = join(root, 'spool');
    const [record] = await makeRecords([attributes]);
    open(directory).append('evt-1', record!);
    const bytes = readFileSync(join(directory, 'segment-0000000001.log'));
    expect(bytes.includes('http.request.header.cookie')).toBe(false);
    expect(bytes.includes(COOKIE)).toBe(false);
    // The mapping's fallback keys stay: client.address becomes sourceIPAddress.
    expect(bytes.includes('192.0.2.10')).toBe(true);
    await opened.pop()!.close();

    const replayed = await open(directory).replay();
    const options = { recipientAccountId: '123456789012' };
    const context = { now: () => 0, newId: () => 'unused' };
    const live = prepareAuditEvents([record!], options, context).events[0]?.eventData;
    const again = prepareAuditEvents([replayed[0]!.record], options, context).events[0]?.eventData;
    expect(again).toBeDefined();
    expect(again).toBe(live);
  });

  it("keeps every attribute with attributes: 'all', for an exporter that sends them", async () => {
    const directory = join(root, 'spool');
    const [record] = await makeRecords([attributes]);
    open(directory, { attributes: 'all' }).append('evt-1', record!);
    expect(readFileSync(join(directory, 'segment-0000000001.log')).includes(COOKIE)).toBe(true);
  });

  it('keeps every attribute when the caller resolves the spool for an exporter that reads them', async () => {
    const [record] = await makeRecords([attributes]);
    const fromOption = join(root, 'from-option');
    const fromEnv = join(root, 'from-env');
    const spools = [
      resolveSpool({ directory: fromOption }, undefined, 'all'),
      resolveSpool(undefined, { directory: fromEnv }, 'all'),
    ];
    opened.push(...spools);
    for (const spool of spools) spool.append('evt-1', record!);
    for (const directory of [fromOption, fromEnv]) {
      expect(readFileSync(join(directory, 'segment-0000000001.log')).includes(COOKIE)).toBe(true);
    }
  });
});
