import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Whether a console data request may be answered, and if not, the error to send. */
export type ConsoleAccess =
  { ok: true } | { ok: false; statusCode: 401 | 403; type: string; message: string };

const LOOPBACK_HOSTNAMES = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function hostname(host: string): string {
  return host.replace(/:\d+$/, '');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The console's data endpoints read the audit trail, so they answer only the console's own page:
 * - a browser's `Sec-Fetch-Site` must be `same-origin` (or `none`, typed into the address bar) and an
 *   `Origin`, when sent, must be this server's; a page of another site cannot read them
 *   (https://www.w3.org/TR/fetch-metadata/);
 * - with an admin token configured, `Authorization: Bearer <token>` is required;
 * - without one, the `Host` must be a loopback name, so a hostile page cannot rebind its own DNS name to
 *   127.0.0.1 and read the events as "same origin" (DNS rebinding).
 */
export function checkConsoleAccess(
  headers: IncomingHttpHeaders,
  adminToken: string | undefined,
): ConsoleAccess {
  const host = headers.host ?? '';
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none')
    return {
      ok: false,
      statusCode: 403,
      type: 'AccessDeniedException',
      message: `The console's data is served to its own page only (Sec-Fetch-Site is ${fetchSite}).`,
    };
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${host}`)
    return {
      ok: false,
      statusCode: 403,
      type: 'AccessDeniedException',
      message: `The console's data is served to its own origin only, not to ${origin}.`,
    };
  if (adminToken === undefined) {
    return LOOPBACK_HOSTNAMES.test(hostname(host))
      ? { ok: true }
      : {
          ok: false,
          statusCode: 403,
          type: 'AccessDeniedException',
          message: 'Without an admin token the console answers loopback host names only.',
        };
  }
  const authorization = headers.authorization ?? '';
  const match = /^Bearer (\S+)$/.exec(authorization);
  if (match === null || !sameSecret(match[1]!, adminToken))
    return {
      ok: false,
      statusCode: 401,
      type: 'UnauthorizedException',
      message: 'The console needs the emulator admin token (Authorization: Bearer <token>).',
    };
  return { ok: true };
}
