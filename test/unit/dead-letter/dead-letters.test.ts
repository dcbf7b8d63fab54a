// Dead-letter building blocks: the reason of each rejection kind, the eventData found for it (from the
// prepared event, or by mapping the record again), the option check, and the JSONL sink. The pipeline
// path and re-sending with the CLI are in test/durability/dead-letters.test.ts.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeadLetters } from '../../../src/dead-letter/build-dead-letters.js';
import { checkDeadLetterOption, createDeadLetterSink } from '../../../src/dead-letter/dead-letter-sink.js';
import {
  EventTooLargeError,
  MappingError,
  RejectedByServiceError,
  ValidationError,
} from '../../../src/errors.js';
import { auditEventEntry } from '../../../src/mapping/audit-event-entry.js';
import { makeRecords } from '../../helpers/log-records.js';

describe('dead letters', () => {
  it('gives each rejection kind its reason and finds its eventData', async () => {
    const [record] = await makeRecords([
      { 'audit.id': 'local', 'audit.user_identity.type': 'User', 'audit.event_name': 'Login' },
    ]);
    const remote = auditEventEntry('remote', JSON.stringify({ UID: 'remote', eventName: 'X' }));
    const letters = buildDeadLetters(
      [
        new ValidationError({
          eventId: 'local',
          field: 'userIdentity.principalId',
          reason: 'missing',
          message: 'missing',
        }),
        new RejectedByServiceError('remote', 'InvalidData', 'bad'),
        new EventTooLargeError('remote', 2_000_000, 1_000_000),
        new MappingError('unknown', 'filter threw'),
      ],
      {
        entries: [{ id: 'local', record: record! }],
        events: new Map([['remote', remote]]),
        mapping: { recipientAccountId: '123456789012' },
        nowMillis: Date.UTC(2026, 10, 21, 12),
      },
    );
    expect(letters[0]).toMatchObject({
      id: 'local',
      eventData: {
        UID: 'local',
        eventName: 'Login',
        recipientAccountId: '123456789012',
        userIdentity: { type: 'User' },
      },
      reason: {
        code: 'CTL_ERR_FIELD_MISSING',
        field: 'userIdentity.principalId',
        rejectedAt: '2026-11-21T12:00:00.000Z',
      },
    });
    expect(letters[1]).toMatchObject({
      eventData: { UID: 'remote' },
      reason: { code: 'CTL_ERR_REJECTED_BY_SERVICE', serviceErrorCode: 'InvalidData' },
    });
    expect(letters[2]?.reason).toMatchObject({
      code: 'CTL_ERR_EVENT_TOO_LARGE',
      limit: 1_000_000,
      actual: 2_000_000,
    });
    expect(letters[3]).toMatchObject({
      id: 'unknown',
      eventData: null,
      reason: { code: 'CTL_ERR_MAPPING_FAILED' },
    });
  });

  it('checks the option and names it when wrong', () => {
    expect(checkDeadLetterOption({ path: '/tmp/x.jsonl' })).toEqual({ path: '/tmp/x.jsonl' });
    expect(() => checkDeadLetterOption({ path: '' })).toThrow(
      /Expected `deadLetter` to be \{ path: string \}/,
    );
    expect(() => checkDeadLetterOption('x')).toThrow(/got string/);
  });

  it('appends one JSON line per dead letter, creating the directory, and counts them', () => {
    const directory = mkdtempSync(join(tmpdir(), 'ctl-dl-'));
    try {
      const path = join(directory, 'nested', 'dl.jsonl');
      const sink = createDeadLetterSink({ path });
      const letter = {
        id: 'a',
        eventData: { x: 1 },
        reason: { code: 'CTL_ERR_CONFIG' as const, message: 'm', rejectedAt: 't' },
      };
      sink.write([letter]);
      sink.write([{ ...letter, id: 'b' }]);
      sink.close();
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['a', 'b']);
      expect(sink.written).toBe(2);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('creates the dead-letter file 0600 and its new directories 0700 under umask 022', () => {
    const directory = mkdtempSync(join(tmpdir(), 'ctl-dl-'));
    const previous = process.umask(0o022);
    try {
      const path = join(directory, 'nested', 'dl.jsonl');
      const sink = createDeadLetterSink({ path });
      sink.write([
        { id: 'a', eventData: { x: 1 }, reason: { code: 'CTL_ERR_CONFIG', message: 'm', rejectedAt: 't' } },
      ]);
      sink.close();
      expect(statSync(join(directory, 'nested')).mode & 0o777).toBe(0o700);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
