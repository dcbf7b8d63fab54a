/**
 * The files of a spool directory and how they are read back at start. `segment-<n>.log` holds record
 * frames in append order; `segment-<n>.acks` holds frames listing the ids of that segment that were
 * settled. A record is owed to the service when its segment holds it and its ack file does not.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { scanFrames } from './frame.js';
import { decodeSpoolRecord } from './record-codec.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ChannelDestination } from '../pipeline/channel-destination.js';
import type { RecordSpoolEntry } from './spool.js';

const SEGMENT_PATTERN = /^segment-(\d{10})\.(log|acks)$/;

/** A record found in a segment and not acked. */
export interface UnackedRecord {
  id: string;
  record: AuditLogRecord;
  route?: ChannelDestination | undefined;
  offset: number;
  length: number;
  appendedAtMillis: number;
}

/** One segment's bookkeeping. */
export interface Segment {
  number: number;
  path: string;
  ackPath: string;
  /** Open for appends while this is the current segment. */
  fd: number | undefined;
  ackFd: number | undefined;
  /** Bytes of the segment file and its ack file together. */
  bytes: number;
  /** Bytes of the segment file alone (the offset of the next frame). */
  dataBytes: number;
  /** Records of this segment not yet acked. */
  live: number;
  /** Filled by {@link readSegments}; emptied once the spool has indexed them. */
  unacked: UnackedRecord[];
}

export function segmentPaths(directory: string, number: number): { path: string; ackPath: string } {
  const stem = join(directory, `segment-${String(number).padStart(10, '0')}`);
  return { path: `${stem}.log`, ackPath: `${stem}.acks` };
}

export interface ReadSegmentsResult {
  segments: Segment[];
  /** Damaged frames and frames that are not spool records, over all files. */
  corruptRecords: number;
  /** The number the next new segment takes. */
  nextNumber: number;
}

/** Reads every segment of `directory` in order; an ack file without its segment is removed. */
export function readSegments(directory: string): ReadSegmentsResult {
  const numbers = new Map<number, { log: boolean; acks: boolean }>();
  for (const name of readdirSync(directory)) {
    const match = SEGMENT_PATTERN.exec(name);
    if (match === null) continue;
    const number = Number(match[1]);
    const kinds = numbers.get(number) ?? { log: false, acks: false };
    if (match[2] === 'log') kinds.log = true;
    else kinds.acks = true;
    numbers.set(number, kinds);
  }
  let corruptRecords = 0;
  let nextNumber = 1;
  const segments: Segment[] = [];
  for (const number of [...numbers.keys()].sort((a, b) => a - b)) {
    nextNumber = Math.max(nextNumber, number + 1);
    const kinds = numbers.get(number)!;
    const paths = segmentPaths(directory, number);
    if (!kinds.log) {
      unlinkSync(paths.ackPath);
      continue;
    }
    const acked = new Set<string>();
    let ackBytes = 0;
    if (kinds.acks) {
      const data = readFileSync(paths.ackPath);
      ackBytes = data.length;
      const scan = scanFrames(data);
      corruptRecords += scan.damaged;
      for (const frame of scan.frames) for (const id of frame.payload.split('\n')) acked.add(id);
    }
    const data = readFileSync(paths.path);
    const scan = scanFrames(data);
    corruptRecords += scan.damaged;
    const unacked: UnackedRecord[] = [];
    for (const frame of scan.frames) {
      const decoded = decodeSpoolRecord(frame.payload);
      if (decoded === undefined) {
        corruptRecords += 1;
        continue;
      }
      if (acked.has(decoded.id)) continue;
      unacked.push({
        id: decoded.id,
        record: decoded.record,
        route: decoded.route,
        offset: frame.offset,
        length: frame.length,
        appendedAtMillis: decoded.appendedAtMillis,
      });
    }
    segments.push({
      number,
      ...paths,
      fd: undefined,
      ackFd: undefined,
      bytes: data.length + ackBytes,
      dataBytes: data.length,
      live: 0,
      unacked,
    });
  }
  return { segments, corruptRecords, nextNumber };
}

/** Writes all of `data` at the file's current position (a regular file may take it in several writes). */
export function writeAll(fd: number, data: Buffer): void {
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written);
}

/** The payload of the intact frame at `offset` of `path`, or undefined when it is damaged. */
export function readFrameAt(path: string, offset: number, length: number): string | undefined {
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  return scanFrames(buffer).frames[0]?.payload;
}

/** Where a pending record is on disk, and when it was appended. */
export interface RecordLocation {
  segment: Segment;
  offset: number;
  length: number;
  appendedAtMillis: number;
}

/**
 * Indexes the unacked records of `segments` into `pending` (counting them as live in their segment)
 * and returns them for replay, oldest first. An id found in two segments keeps its later copy.
 */
export function indexRecovered(
  segments: readonly Segment[],
  pending: Map<string, RecordLocation>,
): RecordSpoolEntry[] {
  const byId = new Map<string, RecordSpoolEntry>();
  for (const segment of segments) {
    for (const entry of segment.unacked) {
      const previous = pending.get(entry.id);
      if (previous !== undefined) previous.segment.live -= 1;
      pending.delete(entry.id);
      pending.set(entry.id, {
        segment,
        offset: entry.offset,
        length: entry.length,
        appendedAtMillis: entry.appendedAtMillis,
      });
      segment.live += 1;
      byId.delete(entry.id);
      byId.set(
        entry.id,
        entry.route === undefined
          ? { id: entry.id, record: entry.record }
          : { id: entry.id, record: entry.record, route: entry.route },
      );
    }
    segment.unacked = [];
  }
  return [...byId.values()];
}
