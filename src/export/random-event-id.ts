/**
 * Random UUID v4 event ids for `onEmit`, which runs on the application's thread. `crypto.randomUUID()`
 * and a per-id hex formatter both build each id from 20-odd string pieces (about 0.5-1 µs, and a rope
 * the first Map lookup must flatten). This source draws and formats 4,096 ids at once into one Latin-1
 * string, so an id is one `slice` of it (tens of ns), and the refill lands in one call in 4,096.
 */
import { randomFillSync } from 'node:crypto';

const IDS_PER_REFILL = 4_096;
const UUID_CHARS = 36;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;

/** Returns a function that makes RFC 9562 version-4 UUIDs, e.g. `3f1c0b52-9e0a-4c1e-8d43-6a2f0b7c9e15`. */
export function createRandomEventIdSource(): () => string {
  const random = new Uint8Array(16 * IDS_PER_REFILL);
  const text = Buffer.alloc(UUID_CHARS * IDS_PER_REFILL);
  let ids = '';
  let next = IDS_PER_REFILL;
  const refill = (): void => {
    randomFillSync(random);
    let at = 0;
    for (let offset = 0; offset < random.length; offset += 16) {
      // Version nibble 4 and variant bits 10, as randomUUID() sets them.
      random[offset + 6] = (random[offset + 6]! & 0x0f) | 0x40;
      random[offset + 8] = (random[offset + 8]! & 0x3f) | 0x80;
      for (let i = 0; i < 16; i++) {
        if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = DASH;
        const byte = random[offset + i]!;
        text[at++] = HEX_DIGITS[byte >> 4]!;
        text[at++] = HEX_DIGITS[byte & 0x0f]!;
      }
    }
    // Each id slices this string and keeps it alive (147 kB per 4,096 ids) while the id lives.
    ids = text.toString('latin1');
    next = 0;
  };
  return () => {
    if (next === IDS_PER_REFILL) refill();
    const start = next * UUID_CHARS;
    next += 1;
    return ids.slice(start, start + UUID_CHARS);
  };
}
