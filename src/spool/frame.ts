/**
 * The framing of spool files: each frame is a 12-byte header (magic, payload length, CRC32 of the
 * payload, all big-endian uint32) and a UTF-8 payload. A crash can leave a torn last frame, and a bad
 * disk a damaged one; the CRC catches both, and the magic lets the reader find the next good frame.
 */
import zlib from 'node:zlib';

/** "CTLS" in ASCII. */
export const FRAME_MAGIC = 0x43_54_4c_53;
export const FRAME_HEADER_BYTES = 12;
const MAGIC_BYTES = (() => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(FRAME_MAGIC, 0);
  return bytes;
})();

/** Larger than any record the exporter could send (a request is at most 1 MiB); anything above is damage. */
export const FRAME_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

// zlib.crc32 (native) arrived in Node 20.15; the table version keeps older Node 20 releases working.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 (IEEE 802.3, as zlib and gzip compute it). */
export function crc32(data: Uint8Array): number {
  if (nativeCrc32 !== undefined) return nativeCrc32(data) >>> 0;
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One frame, header and payload, ready to write. */
export function encodeFrame(payload: string): Buffer {
  const bytes = Buffer.byteLength(payload);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + bytes);
  frame.write(payload, FRAME_HEADER_BYTES, 'utf8');
  frame.writeUInt32BE(FRAME_MAGIC, 0);
  frame.writeUInt32BE(bytes, 4);
  frame.writeUInt32BE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 8);
  return frame;
}

export interface DecodedFrame {
  /** Byte offset of the frame's header in the file. */
  offset: number;
  /** Header plus payload, in bytes. */
  length: number;
  payload: string;
}

export interface FrameScan {
  frames: DecodedFrame[];
  /** Damaged regions skipped (each a torn tail or a run of bad bytes). */
  damaged: number;
}

/** Reads every intact frame of `data`, skipping damage by searching for the next magic. */
export function scanFrames(data: Buffer): FrameScan {
  const frames: DecodedFrame[] = [];
  let damaged = 0;
  let offset = 0;
  let inDamage = false;
  while (offset + FRAME_HEADER_BYTES <= data.length) {
    const length = data.readUInt32BE(offset + 4);
    const ok =
      data.readUInt32BE(offset) === FRAME_MAGIC &&
      length <= FRAME_MAX_PAYLOAD_BYTES &&
      offset + FRAME_HEADER_BYTES + length <= data.length &&
      crc32(data.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length)) ===
        data.readUInt32BE(offset + 8);
    if (ok) {
      const end = offset + FRAME_HEADER_BYTES + length;
      frames.push({
        offset,
        length: FRAME_HEADER_BYTES + length,
        payload: data.toString('utf8', offset + FRAME_HEADER_BYTES, end),
      });
      offset = end;
      inDamage = false;
      continue;
    }
    if (!inDamage) damaged += 1;
    inDamage = true;
    const next = data.indexOf(MAGIC_BYTES, offset + 1);
    if (next === -1) {
      offset = data.length;
      break;
    }
    offset = next;
  }
  // Fewer bytes than a header left over: a write torn inside the header.
  if (offset < data.length && !inDamage) damaged += 1;
  return { frames, damaged };
}
