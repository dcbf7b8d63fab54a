/**
 * The event as it waits for a send. A record prepared where it enters waits in the queue about a second
 * at the service quota, long enough for the young-generation GC to copy and promote everything it holds,
 * so a waiting event is one small object: its id, its entry's size and where its entry's UTF-8 bytes
 * lie in a shared slab outside the JS heap. `entryJson`, `eventData` and `eventDataChecksum` are read
 * back from those bytes when asked (the plug-in transport, dead letters and receipts do; the HTTP path
 * never does), and the request body is assembled by copying bytes instead of encoding strings that have
 * long left the CPU's caches.
 *
 * The slab works like Node's own Buffer pool (8 KiB, entries up to half of it), without a Buffer view
 * per entry: a view is itself a heap object about as large as a 200-byte event's other state.
 * Measured against an object literal holding a `Buffer.from` copy, two accessors defined on it and a
 * separate send entry: the JS heap held per waiting record fell from 623 to 425 bytes at 200-byte
 * events (658 to 465 at 2 kB, 672 to 557 at 20 kB; 8,000 records held by an endpoint that never
 * answers); keeping an event this way went from 9% to 4% of the CPU in a profile of the end-to-end
 * size sweep at 200-byte events; and CPU per record in that sweep, old and new run side by side, was
 * lower in 6 of 8 pairs at 200 B (median 1.9 µs of about 33 µs) and in 4 of 5 pairs at 2 kB. A
 * larger slab would allocate less often (each ArrayBuffer costs several µs however large), but one
 * entry kept for redelivery would then pin more memory than Node's pool ever did.
 */
import type { PreparedEvent, WaitingEvent } from './audit-event.js';
import { WRITE_ENTRY } from './audit-event.js';
import { ENTRY_TAIL_BYTES, eventDataOfEntry } from './audit-event-entry.js';

/** Bytes of each slab: Node's `Buffer.poolSize`, so a slab pins no more memory than a pooled Buffer did. */
const SLAB_BYTES = 8 * 1024;
/** Larger entries get a buffer of their own, as `Buffer.from` gives them (half of `Buffer.poolSize`). */
const SLAB_MAX_ENTRY_BYTES = SLAB_BYTES / 2;
/** base64 of a SHA-256 digest (32 bytes) is always 44 ASCII characters. */
const CHECKSUM_CHARS = 44;

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

/**
 * A prepared event kept as its entry's bytes. It is also the entry a send takes for it (`prepared` is
 * itself): one object per waiting record instead of two.
 */
export class WaitingEntry implements PreparedEvent {
  readonly id: string;
  readonly entryBytes: number;
  readonly #bytes: Buffer;
  readonly #start: number;
  declare readonly route?: undefined;
  declare readonly record?: undefined;

  constructor(id: string, entryJson: string, entryBytes: number) {
    this.id = id;
    this.entryBytes = entryBytes;
    if (entryBytes > SLAB_MAX_ENTRY_BYTES) {
      this.#bytes = Buffer.from(entryJson, 'utf8');
      this.#start = 0;
      return;
    }
    if (slabUsed + entryBytes > SLAB_BYTES) {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      slabUsed = 0;
    }
    const written = slab.write(entryJson, slabUsed, 'utf8');
    if (written !== entryBytes) {
      // entryBytes is counted, not measured, for entries built from JSON.stringify output: should the
      // count ever be wrong, the entry's own bytes win (and the slab keeps what it had).
      this.#bytes = Buffer.from(entryJson, 'utf8');
      this.#start = 0;
      this.entryBytes = this.#bytes.length;
      return;
    }
    this.#bytes = slab;
    this.#start = slabUsed;
    slabUsed += written;
  }

  /** The event itself, so that a waiting event is a send entry (`PreparedEntry`) as it is. */
  get prepared(): this {
    return this;
  }

  get entryJson(): string {
    return this.#bytes.toString('utf8', this.#start, this.#start + this.entryBytes);
  }

  get eventDataChecksum(): string {
    const end = this.#start + this.entryBytes - ENTRY_TAIL_BYTES;
    return this.#bytes.toString('latin1', end - CHECKSUM_CHARS, end);
  }

  get eventData(): string {
    return eventDataOfEntry(this);
  }

  [WRITE_ENTRY](target: Buffer, offset: number): number {
    return this.#bytes.copy(target, offset, this.#start, this.#start + this.entryBytes);
  }

  /** The wire fields, as an event built by `auditEventEntry` serialises. */
  toJSON(): PreparedEvent {
    const { id, eventData, eventDataChecksum, entryJson, entryBytes } = this;
    return { id, eventData, eventDataChecksum, entryJson, entryBytes };
  }
}

/**
 * The event as it waits for a send (see above). An event whose checksum is not a SHA-256 in base64 (not
 * built by `auditEventEntry`) is kept as it is.
 */
export function compactEvent(event: PreparedEvent): WaitingEvent {
  if (event instanceof WaitingEntry || event.eventDataChecksum.length !== CHECKSUM_CHARS) return event;
  return new WaitingEntry(event.id, event.entryJson, event.entryBytes);
}
