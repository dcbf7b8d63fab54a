import { hash } from 'node:crypto';

/**
 * SHA-256 of `data` (a string is hashed as UTF-8), as base64 or hex text. The one-shot `crypto.hash`
 * (in every Node release the package supports, `engines` >= 20.19) makes no Hash object per call:
 * about a third of the checksum's cost for a 1 kB event against `createHash().update().digest()`.
 */
export function sha256(data: string | Buffer, encoding: 'base64' | 'hex'): string {
  return hash('sha256', data, encoding);
}
