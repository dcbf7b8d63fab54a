/**
 * The durable spool: append-only segment files in one directory. Each accepted record is written
 * (framed, checksummed, with its event id) with a synchronous write before `emit()` returns, so a
 * process crash never loses a record the application was told was accepted; `fsync` decides whether
 * that also holds for a machine crash. Settled ids go to the segment's ack file; a segment whose records
 * are all settled is deleted, so the directory holds only what is still owed to the service.
 * Why segments rather than an embedded store, and what each fsync policy costs: the "Nothing lost" section of README.md.
 */
import { closeSync, unlinkSync } from 'node:fs';
import { DEFAULTS } from '../defaults.js';
import { componentLogger } from '../internal/diag.js';
import { makePrivateDirectory, openPrivateForAppend } from '../internal/private-files.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import { encodeFrame } from './frame.js';
import { decodeSpoolRecord, encodeSpoolRecord } from './record-codec.js';
import {
  indexRecovered,
  readFrameAt,
  readSegments,
  segmentPaths,
  writeAll,
  type RecordLocation,
  type Segment,
} from './segment-files.js';
import type { FileSpoolOptions } from './file-spool-options.js';
import { createFsyncScheduler } from './fsync-scheduler.js';
import { acquireSpoolLock } from './spool-lock.js';
import type { ChannelDestination } from '../pipeline/channel-destination.js';
import type { RecordSpoolEntry, Spool, SpoolStats } from './spool.js';

const logger = componentLogger('CloudTrailLakeFileSpool');

export type { FileSpoolOptions, SpoolFsyncPolicy } from './file-spool-options.js';

/**
 * Opens (or creates) the spool in `options.directory`: takes the lock, reads what an earlier process
 * left (skipping damaged records, counted and warned about) and keeps it for `replay()`.
 * @throws CloudTrailLakeError `CTL_ERR_SPOOL` when another running process holds the directory.
 */
/** A durable spool: it writes and reads back records, so what it hands back always carries one. */
export interface FileSpool extends Spool {
  replay(): Promise<readonly RecordSpoolEntry[]>;
  takeReleased(max: number): RecordSpoolEntry[];
}

export function createFileSpool(options: FileSpoolOptions): FileSpool {
  const maxBytes = options.maxBytes ?? DEFAULTS.spoolMaxBytes;
  const fsync = createFsyncScheduler(
    options.fsync ?? DEFAULTS.spoolFsync,
    options.fsyncIntervalMillis ?? DEFAULTS.spoolFsyncIntervalMillis,
  );
  const segmentBytes =
    options.segmentBytes ?? Math.max(1, Math.min(DEFAULTS.spoolSegmentBytes, Math.floor(maxBytes / 8)));
  const warningIntervalMillis = options.warningIntervalMillis ?? DEFAULTS.droppedWarningIntervalMillis;
  const now = options.now ?? Date.now;
  const directory = options.directory;
  const attributeScope = options.attributes ?? 'mapped';

  makePrivateDirectory(directory);
  const lock = acquireSpoolLock(directory);
  const pending = new Map<string, RecordLocation>();
  const released = new Set<string>();
  const segments = new Set<Segment>();
  let recovered: RecordSpoolEntry[] = [];
  let corruptRecords = 0;
  let refused = 0;
  let refusedSinceWarning = 0;
  let lastFullWarningMillis = Number.NEGATIVE_INFINITY;
  let writeErrors = 0;
  let totalBytes = 0;
  let current: Segment | undefined;
  let nextNumber = 1;
  let closed = false;

  try {
    const found = readSegments(directory);
    corruptRecords = found.corruptRecords;
    nextNumber = found.nextNumber;
    recovered = indexRecovered(found.segments, pending);
    for (const segment of found.segments) {
      segments.add(segment);
      totalBytes += segment.bytes;
    }
    for (const segment of [...segments]) if (segment.live === 0) removeSegment(segment);
  } catch (error) {
    lock.release();
    throw error;
  }
  if (corruptRecords > 0) {
    logger.warn(
      `Spool ${directory}: skipped ${corruptRecords} damaged record(s) (torn write or corruption); replaying the rest`,
    );
  }

  function removeSegment(segment: Segment): void {
    for (const fd of [segment.fd, segment.ackFd]) if (fd !== undefined) closeSync(fd);
    segment.fd = undefined;
    segment.ackFd = undefined;
    for (const path of [segment.path, segment.ackPath]) {
      try {
        unlinkSync(path);
      } catch {
        // Never created (no acks) or already gone.
      }
    }
    segments.delete(segment);
    totalBytes -= segment.bytes;
    if (current === segment) current = undefined;
  }

  function openSegment(): Segment {
    const paths = segmentPaths(directory, nextNumber);
    const segment: Segment = {
      number: nextNumber,
      ...paths,
      bytes: 0,
      dataBytes: 0,
      live: 0,
      unacked: [],
      fd: openPrivateForAppend(paths.path),
      ackFd: undefined,
    };
    nextNumber += 1;
    segments.add(segment);
    return segment;
  }

  function warnFull(): void {
    refused += 1;
    refusedSinceWarning += 1;
    const at = now();
    if (at - lastFullWarningMillis < warningIntervalMillis) return;
    logger.warn(
      `Spool ${directory} is full (maxBytes ${maxBytes}, ${totalBytes} bytes used): refused ${refusedSinceWarning} audit record(s) ` +
        'since the last warning; they are dropped. Raise maxBytes or check why records are not delivered',
    );
    lastFullWarningMillis = at;
    refusedSinceWarning = 0;
  }

  function forget(id: string): RecordLocation | undefined {
    const location = pending.get(id);
    if (location === undefined) return undefined;
    pending.delete(id);
    released.delete(id);
    location.segment.live -= 1;
    return location;
  }

  function readEntry(id: string, location: RecordLocation): RecordSpoolEntry | undefined {
    const payload = readFrameAt(location.segment.path, location.offset, location.length);
    const decoded = payload === undefined ? undefined : decodeSpoolRecord(payload);
    if (decoded?.id !== id) return undefined;
    return decoded.route === undefined
      ? { id, record: decoded.record }
      : { id, record: decoded.record, route: decoded.route };
  }

  const spool: FileSpool = {
    append(id: string, record: AuditLogRecord, route?: ChannelDestination): boolean {
      if (closed) return false;
      const appendedAtMillis = now();
      let frame: Buffer;
      try {
        frame = encodeFrame(encodeSpoolRecord(id, record, appendedAtMillis, attributeScope, route));
      } catch (error) {
        writeErrors += 1;
        logger.error(`Spool: cannot serialise audit record ${id}; it is sent but not spooled`, error);
        return true;
      }
      if (totalBytes + frame.length > maxBytes) {
        warnFull();
        return false;
      }
      try {
        if (
          current !== undefined &&
          current.dataBytes > 0 &&
          current.dataBytes + frame.length > segmentBytes
        ) {
          closeSync(current.fd!);
          current.fd = undefined;
          current = undefined;
        }
        current ??= openSegment();
        writeAll(current.fd!, frame);
        fsync.written(current.fd!);
      } catch (error) {
        // Keep the record in memory: refusing it would lose it for sure, sending it may still work.
        writeErrors += 1;
        logger.error(
          `Spool ${directory}: writing audit record ${id} failed; it is sent but not spooled`,
          error,
        );
        return true;
      }
      const previous = forget(id);
      if (previous !== undefined && previous.segment.live === 0 && previous.segment !== current)
        removeSegment(previous.segment);
      pending.set(id, {
        segment: current,
        offset: current.dataBytes,
        length: frame.length,
        appendedAtMillis,
      });
      current.live += 1;
      current.dataBytes += frame.length;
      current.bytes += frame.length;
      totalBytes += frame.length;
      return true;
    },

    ack(ids: Iterable<string>): void {
      const bySegment = new Map<Segment, string[]>();
      for (const id of ids) {
        const location = forget(id);
        if (location === undefined) continue;
        const list = bySegment.get(location.segment);
        if (list === undefined) bySegment.set(location.segment, [id]);
        else list.push(id);
      }
      for (const [segment, list] of bySegment) {
        if (segment.live === 0) {
          removeSegment(segment);
          continue;
        }
        try {
          segment.ackFd ??= openPrivateForAppend(segment.ackPath);
          const frame = encodeFrame(list.join('\n'));
          writeAll(segment.ackFd, frame);
          fsync.written(segment.ackFd);
          segment.bytes += frame.length;
          totalBytes += frame.length;
        } catch (error) {
          // A lost ack only means these events are sent again after a restart, under the same ids.
          writeErrors += 1;
          logger.warn(
            `Spool ${directory}: recording ${list.length} acknowledgement(s) failed; they may be sent again after a restart`,
            error,
          );
        }
      }
    },

    release(ids: Iterable<string>): void {
      for (const id of ids) if (pending.has(id)) released.add(id);
    },

    replay(): Promise<readonly RecordSpoolEntry[]> {
      const entries = recovered;
      recovered = [];
      return Promise.resolve(entries);
    },

    takeReleased(max: number): RecordSpoolEntry[] {
      const out: RecordSpoolEntry[] = [];
      for (const id of released) {
        if (out.length >= max) break;
        released.delete(id);
        const location = pending.get(id);
        if (location === undefined) continue;
        let entry: RecordSpoolEntry | undefined;
        try {
          entry = readEntry(id, location);
        } catch (error) {
          logger.warn(`Spool ${directory}: reading back audit record ${id} failed`, error);
        }
        if (entry === undefined) {
          corruptRecords += 1;
          spool.ack([id]);
          continue;
        }
        out.push(entry);
      }
      return out;
    },

    get size(): number {
      return pending.size;
    },

    stats(): SpoolStats {
      const oldest = pending.values().next();
      return {
        records: pending.size,
        bytes: totalBytes,
        oldestAppendedAtMillis: oldest.done === true ? undefined : oldest.value.appendedAtMillis,
        corruptRecords,
        refused,
      };
    },

    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      fsync.flush();
      for (const segment of segments) {
        for (const fd of [segment.fd, segment.ackFd]) if (fd !== undefined) closeSync(fd);
        segment.fd = undefined;
        segment.ackFd = undefined;
      }
      lock.release();
      if (writeErrors > 0) logger.warn(`Spool ${directory}: ${writeErrors} write error(s) during this run`);
      return Promise.resolve();
    },
  };
  return spool;
}
