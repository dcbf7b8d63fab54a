/**
 * Contender 4, the floor: JSON.stringify + SHA-256 (base64) of the same eventData objects, no I/O, no
 * SDK. The eventData objects come from this library's mapping of the same records and are built outside
 * the timed part, a thousand at a time, so only serialising and hashing is measured.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EventDataDraft } from '../../src/mapping/mapping-options.js';
import { toEventData } from '../../src/mapping/to-event-data.js';
import {
  sweepRecord,
  toAuditLogRecord,
  workloadRecord,
  WORKLOAD_ACCOUNT_ID,
  type SweepSize,
} from '../workload.js';
import type { WorkloadRecord } from '../workload.js';

export interface FloorJob {
  kind: 'floor';
  records: number;
  /** When set, records of the size sweep instead of the main workload. */
  sweep?: readonly SweepSize[];
}

export interface FloorResult {
  label: string;
  records: number;
  cpuMicros: number;
  wallMillis: number;
  /** Mean eventData size, in UTF-8 bytes. */
  meanEventDataBytes: number;
}

const CHUNK = 1000;

function floorOf(label: string, count: number, record: (index: number) => WorkloadRecord): FloorResult {
  let cpuMicros = 0;
  let wallMillis = 0;
  let bytes = 0;
  let hashes = 0;
  const options = { recipientAccountId: WORKLOAD_ACCOUNT_ID };
  for (let start = 0; start < count; start += CHUNK) {
    const data: EventDataDraft[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++)
      data.push(toEventData(toAuditLogRecord(record(i)), randomUUID(), options, Date.now()));
    const out: string[] = [];
    const cpu = process.cpuUsage();
    const begin = performance.now();
    for (const eventData of data) {
      const json = JSON.stringify(eventData);
      out.push(json, createHash('sha256').update(json).digest('base64'));
    }
    wallMillis += performance.now() - begin;
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
    for (let i = 0; i < out.length; i += 2) bytes += Buffer.byteLength(out[i]!);
    hashes += out.length / 2;
  }
  return { label, records: hashes, cpuMicros, wallMillis, meanEventDataBytes: bytes / hashes };
}

export function runFloorJob(job: FloorJob): FloorResult[] {
  if (job.sweep === undefined) {
    floorOf('warm-up', Math.min(job.records, 5_000), (i) => workloadRecord(i, 1));
    return [floorOf('workload', job.records, (i) => workloadRecord(i))];
  }
  return job.sweep.map((size) => {
    floorOf('warm-up', Math.max(20, Math.floor(size.records / 5)), (i) =>
      sweepRecord(i, size.eventDataBytes, 1),
    );
    return floorOf(size.label, size.records, (i) => sweepRecord(i, size.eventDataBytes));
  });
}
