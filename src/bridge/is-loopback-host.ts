import { isIP } from 'node:net';

/**
 * True when `host` is reachable only from this machine: `localhost`, 127.0.0.0/8 or ::1 (RFC 6890
 * "Loopback"). `0.0.0.0`, `::` and every other address or name are not.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || bare === '::ffff:127.0.0.1';
}
