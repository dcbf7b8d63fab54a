import { createHash } from 'node:crypto';

/**
 * The PutAuditEvents entry id of an input line that names none: derived from the line's SHA-256, so
 * sending the same file again gives each line the same id as before, and a reader (or the receipts of
 * the first run) can tell a resent event from a new one. A fresh random id per run would make every
 * rerun look like new events. Shaped as a UUID version 8 (RFC 9562 section 5.8: custom, here
 * name-based on SHA-256 as in its appendix B.2), 36 characters of `[0-9a-f-]`, a valid entry id.
 * Leading and trailing whitespace (a CRLF line end) does not change the id.
 */
export function lineEventId(line: string): string {
  const hex = createHash('sha256').update(line.trim(), 'utf8').digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
