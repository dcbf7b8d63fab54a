import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from '../start-emulator.js';
import { checkConsoleAccess } from './console-access.js';
import { getConsoleAsset, isConsoleAssetName } from './console-assets.js';
import { countEventsPerMinute, TIMELINE_MAX_RANGE_MILLIS } from './event-timeline.js';
import { listRejections } from './rejected-events.js';

/**
 * The browser console: `GET /` is its page, `GET /console/<file>` its fixed set of static files, and
 * `GET /console/api/*` the read-only data its views poll (events since a cursor, rejections, the
 * per-minute timeline). Stats and queries go through `/_emulator/stats` and the CloudTrail API.
 */

/** Most events one `/console/api/events` answer carries; a console keeps about this many. */
export const CONSOLE_EVENTS_MAX_PAGE = 1_000;

/** What the console reads from a running emulator. */
export type ConsoleSource = Pick<Emulator, 'events' | 'received' | 'stats'> & {
  /** When set, the data endpoints need `Authorization: Bearer <adminToken>`. */
  readonly adminToken?: string | undefined;
};

// Scripts and styles come only from this server, never inline, and no other site may frame the page.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** True for the requests the console answers: GET of `/` and of anything under `/console/`. */
export function isConsoleRequest(method: string | undefined, path: string): boolean {
  return method === 'GET' && (path === '/' || path.startsWith('/console/'));
}

function send(response: ServerResponse, statusCode: number, body: Buffer | string, type: string): void {
  response.writeHead(statusCode, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(body);
}

function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  send(response, statusCode, JSON.stringify(body), 'application/json');
}

function sendError(response: ServerResponse, statusCode: number, type: string, message: string): void {
  if (statusCode === 401) response.setHeader('www-authenticate', 'Bearer');
  sendJson(response, statusCode, { __type: type, message });
}

/** Reads an integer query parameter, or returns the message naming the parameter, its range and value. */
function integerParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback?: number,
): number | string {
  const text = query.get(name);
  if (text === null && fallback !== undefined) return fallback;
  const value = Number(text);
  if (text === null || text === '' || !Number.isInteger(value) || value < min || value > max)
    return `Expected \`${name}\` to be an integer from ${min} to ${max}, got \`${text ?? 'nothing'}\``;
  return value;
}

function answerData(
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
  source: ConsoleSource,
): void {
  switch (path) {
    case '/console/api/events': {
      const after = integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER, 0);
      const limit = integerParam(query, 'limit', 1, CONSOLE_EVENTS_MAX_PAGE, CONSOLE_EVENTS_MAX_PAGE);
      if (typeof after === 'string') return sendError(response, 400, 'ValidationException', after);
      if (typeof limit === 'string') return sendError(response, 400, 'ValidationException', limit);
      const events = source.events();
      // A cursor past the end means the store is not the one the page saw (a restart): start over.
      const start = after > events.length ? 0 : Math.max(after, events.length - limit);
      return sendJson(response, 200, { total: events.length, from: start, events: events.slice(start) });
    }
    case '/console/api/rejected':
      return sendJson(response, 200, { ...listRejections(source.received()), stats: source.stats });
    case '/console/api/timeline': {
      const toMillis = integerParam(query, 'toMillis', 0, Number.MAX_SAFE_INTEGER);
      if (typeof toMillis === 'string') return sendError(response, 400, 'ValidationException', toMillis);
      const fromMillis = integerParam(
        query,
        'fromMillis',
        toMillis - TIMELINE_MAX_RANGE_MILLIS,
        toMillis - 1,
      );
      if (typeof fromMillis === 'string') return sendError(response, 400, 'ValidationException', fromMillis);
      return sendJson(response, 200, countEventsPerMinute(source.events(), fromMillis, toMillis));
    }
    default:
      return sendError(response, 404, 'ResourceNotFoundException', `The console has no data at ${path}.`);
  }
}

/** Answers one console request (see {@link isConsoleRequest}). */
export async function handleConsoleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  source: ConsoleSource,
): Promise<void> {
  if (path.startsWith('/console/api/')) {
    const access = checkConsoleAccess(request.headers, source.adminToken);
    if (!access.ok) return sendError(response, access.statusCode, access.type, access.message);
    const query = new URL(request.url ?? '/', 'http://emulator').searchParams;
    return answerData(response, path, query, source);
  }
  const name = path === '/' || path === '/console/' ? 'index.html' : path.slice('/console/'.length);
  if (!isConsoleAssetName(name))
    return sendError(response, 404, 'ResourceNotFoundException', `The console has no file at ${path}.`);
  const asset = await getConsoleAsset(name);
  send(response, 200, asset.body, asset.contentType);
}
